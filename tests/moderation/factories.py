"""An audit of North with a locked sample of invented children, for the moderation tests."""

import datetime

from caseaudit.audits.models import Audit, Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.moderation.models import Grade
from caseaudit.moderation.services import grade_scale_ensure
from caseaudit.population.services import population_import


def audit_with_children(
    world, count: int = 5, *, month: datetime.date | None = None, title: str = "Neglect"
) -> tuple[Audit, list[SampledCase]]:
    """Children's social care and health take part; the children are Child 1, Child 2, ..."""
    audit = audit_create(
        partnership=world.north,
        title=title,
        agencies=[world.csc, world.health],
        planned_month=month,
    )
    rows = "".join(f"{title[:3].upper()}{n},neglect,Moderation Child {n}\n" for n in range(count))
    snapshot = population_import(
        partnership=world.north,
        content=f"child_id,plan_category,name\n{rows}".encode(),
        file_name=f"{title}.csv",
    )
    sample = Sample.objects.create(
        audit=audit,
        snapshot=snapshot,
        size=count,
        seed=1,
        locked_at=datetime.datetime.now(datetime.UTC),
    )
    children = [
        SampledCase.objects.create(
            sample=sample, case=case, order=index, pseudonym=f"Child {index}"
        )
        for index, case in enumerate(snapshot.cases.order_by("pk"), start=1)
    ]
    return audit, children


def scale(world) -> dict[str, Grade]:
    """North's default scale by key: outstanding, good, requires-improvement, inadequate."""
    return {grade.key: grade for grade in grade_scale_ensure(partnership=world.north)}
