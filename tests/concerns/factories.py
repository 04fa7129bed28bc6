"""North's audit of four children (tests/returns/factories.CHILDREN) with teams and worker ids
on the case list, for Cases of Concern and actions."""

from caseaudit.audits.models import SampledCase
from tests.returns.factories import audit_with_locked_sample, sampled_case

# pseudonym: (team, worker id)
TEAMS = {
    "Child A": ("Riverside Safeguarding", "W-101"),
    "Child B": ("Riverside Safeguarding", "W-101"),
    "Child C": ("Hillside Assessment", "W-202"),
    "Child D": ("Hillside Assessment", "W-303"),
}


def audit_with_teams(world, **kwargs):
    audit = audit_with_locked_sample(world, **kwargs)
    for case in SampledCase.objects.filter(sample__audit=audit).select_related("case"):
        team, worker = TEAMS[case.pseudonym]
        case.case.team, case.case.worker_id = team, worker
        case.case.save(update_fields=["team", "worker_id"])
    return audit


def child(audit, pseudonym: str) -> SampledCase:
    return SampledCase.objects.select_related("sample__audit", "case").get(
        pk=sampled_case(audit, pseudonym).pk
    )
