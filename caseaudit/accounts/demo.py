"""The fictional demo partnerships. Every name here is invented; no real person or child."""

from django.db import transaction

from caseaudit.accounts import services
from caseaudit.accounts.models import Agency, Membership, Partnership, Sector, User
from caseaudit.accounts.roles import Role
from caseaudit.questionnaires.library import load_library
from caseaudit.themes.services import themes_seed_for_partnership

DEMO_PASSWORD = "demo-audit-password"  # noqa: S105 - printed on purpose for the local demo

PARTNERSHIPS = [
    ("Northshire Safeguarding Children Partnership", "north"),
    ("Southvale Safeguarding Children Partnership", "south"),
]

# (name, code, sector, partnership slugs): the police force serves both partnerships.
AGENCIES = [
    ("Northshire Children's Social Care", "CSC", Sector.CHILDRENS_SOCIAL_CARE, ["north"]),
    ("Northshire Community Health NHS Trust", "HEALTH", Sector.HEALTH, ["north"]),
    ("Shire Constabulary", "POLICE", Sector.POLICE, ["north", "south"]),
    ("Northshire Schools and Education", "EDU", Sector.EDUCATION, ["north"]),
    ("Northshire Early Help", "EH", Sector.EARLY_HELP, ["north"]),
    ("Northshire Youth Justice Service", "YJS", Sector.YOUTH_JUSTICE, ["north"]),
    ("Northshire Homes", "HOUSING", Sector.HOUSING, ["north"]),
    ("Northshire Adult Mental Health Service", "AMH", Sector.ADULT_MENTAL_HEALTH, ["north"]),
    ("Northshire Recovery Service", "DRUGS", Sector.SUBSTANCE_MISUSE, ["north"]),
    ("Northshire Domestic Abuse Service", "DA", Sector.DOMESTIC_ABUSE, ["north"]),
    ("Southvale Children's Services", "CSC", Sector.CHILDRENS_SOCIAL_CARE, ["south"]),
    ("Southvale Health and Care NHS Trust", "HEALTH", Sector.HEALTH, ["south"]),
]

# (email, full name, partnership slug, role, agency name)
PEOPLE = [
    ("admin@north.example", "Alice Adams", "north", Role.PARTNERSHIP_ADMIN, None),
    ("lead@north.example", "Lena Lewis", "north", Role.AUDIT_LEAD, None),
    ("lead@north.example", "Lena Lewis", "south", Role.AUDIT_LEAD, None),
    (
        "auditor.csc@north.example",
        "Chris Carter",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Children's Social Care",
    ),
    (
        "auditor.health@north.example",
        "Hana Hussain",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Community Health NHS Trust",
    ),
    (
        "auditor.mentalhealth@north.example",
        "Maya Okafor",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Adult Mental Health Service",
    ),
    (
        "auditor.domesticabuse@north.example",
        "Dev Patel",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Domestic Abuse Service",
    ),
    (
        "auditor.earlyhelp@north.example",
        "Erin Walsh",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Early Help",
    ),
    (
        "auditor.housing@north.example",
        "Harry Quinn",
        "north",
        Role.AGENCY_AUDITOR,
        "Northshire Homes",
    ),
    ("moderator@north.example", "Morgan Mills", "north", Role.MODERATOR, None),
    ("manager@north.example", "Sam Shah", "north", Role.SENIOR_MANAGER, None),
    ("board@north.example", "Bea Brown", "north", Role.BOARD_VIEWER, None),
    ("admin@south.example", "Sol Stone", "south", Role.PARTNERSHIP_ADMIN, None),
]


@transaction.atomic
def load_demo() -> bool:
    """Creates what is missing. Returns True when anything was created."""
    created_any = False
    partnerships = {}
    for name, slug in PARTNERSHIPS:
        partnership, created = Partnership.objects.get_or_create(slug=slug, defaults={"name": name})
        themes_seed_for_partnership(partnership=partnership)
        partnerships[slug] = partnership
        created_any |= created
    for name, code, sector, slugs in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            name=name, defaults={"code": code, "sector": sector}
        )
        agency.partnerships.add(*(partnerships[slug] for slug in slugs))
        created_any |= created
    for email, full_name, slug, role, agency_name in PEOPLE:
        partnership = partnerships[slug]
        if Membership.objects.filter(user__email=email, partnership=partnership).exists():
            continue
        agency = Agency.objects.get(name=agency_name) if agency_name else None
        user, _, _ = services.user_create_with_membership(
            email=email, partnership=partnership, role=role, agency=agency, full_name=full_name
        )
        if not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        created_any = True
    created_any |= bool(load_library(partnerships["north"]))
    created_any |= _load_demo_population(partnerships["north"])
    from caseaudit.moderation.demo import load_demo_moderation

    created_any |= load_demo_moderation(partnerships["north"])
    created_any |= _load_demo_month_learning(partnerships["north"])
    from caseaudit.publications.demo import load_demo_publications

    created_any |= load_demo_publications(
        partnerships["north"], User.objects.get(email="lead@north.example")
    )
    return created_any


def _load_demo_month_learning(partnership: Partnership) -> bool:
    """May's monthly audit: its Cases of Concern and what the lead wrote for its learning
    briefing."""
    from caseaudit.audits.models import Audit
    from caseaudit.concerns.demo import load_demo_month_concerns
    from caseaudit.findings.demo import load_demo_learning_content

    may = Audit.objects.filter(partnership=partnership, title="Monthly practice audit: May 2026")
    audit = may.first()
    if audit is None:
        return False
    lead = User.objects.get(email="lead@north.example")
    made = load_demo_month_concerns(audit, lead, User.objects.get(email="manager@north.example"))
    return bool(made) | load_demo_learning_content(audit, lead)


def _load_demo_population(partnership: Partnership) -> bool:
    """North's case list: 202 invented children, 34 on a repeat plan (as in the seed report)."""
    from caseaudit.population.demo import demo_population_csv
    from caseaudit.population.models import Benchmark, BenchmarkKind
    from caseaudit.population.services import population_import

    if partnership.snapshots.exists():
        return False
    snapshot = population_import(
        partnership=partnership,
        content=demo_population_csv(),
        file_name="demo-child-protection-plans.csv",
    )
    # Benchmarks as an admin would enter them: the seed report's national rate (14.9%) and its
    # ten statistical neighbours' rates (average 16.1%), under invented neighbour names.
    neighbours = ["11.5", "20.4", "14.7", "9.6", "13.3", "19.8", "20.2", "16.0", "14.1", "21.1"]
    rows = [(BenchmarkKind.NATIONAL, "England", "14.9")]
    rows += [
        (BenchmarkKind.NEIGHBOUR, f"Neighbour {letter}", value)
        for letter, value in zip("ABCDEFGHIJ", neighbours, strict=True)
    ]
    for kind, label, value in rows:
        Benchmark.objects.create(
            partnership=partnership,
            measure=Benchmark.Measure.REPEAT_PLAN_RATE,
            kind=kind,
            label=label,
            value=value,
            period="2012 to 2013",
        )
    _load_demo_audit(partnership, snapshot)
    return True


def _load_demo_audit(partnership: Partnership, snapshot) -> None:
    """An audit like the seed report's: 15 children on a repeat plan that began within three
    years of the previous one, one per sibling group, balanced by gender and category."""
    from datetime import date

    from caseaudit.audits.models import Methodology
    from caseaudit.audits.sample_services import sample_draw, sample_lock
    from caseaudit.audits.services import audit_create

    lead = User.objects.get(email="lead@north.example")
    agencies = Agency.objects.filter(partnerships=partnership).order_by("name")[:6]
    audit = audit_create(
        partnership=partnership,
        title="Repeat Child Protection Plans",
        theme="Repeat plans",
        aim=(
            "To understand why some children become subject to a Child Protection Plan again "
            "and whether agencies' work since the first plan made a lasting difference."
        ),
        scope_questions=[
            "Were the concerns at the second plan similar to those at the first?",
            "What work was done with the family between the two plans?",
            "Was the child seen alone and was their lived experience understood?",
        ],
        terms_of_reference="A multi-agency desktop audit of a sample of repeat plans.",
        methodology=Methodology.MULTI_AGENCY_DESKTOP,
        template_name="Repeat Child Protection Plan",
        agencies=list(agencies),
        user=lead,
        planned_month=date(2026, 12, 1),
        returns_due=date(2027, 1, 15),
        meeting_date=date(2027, 1, 29),
        report_due=date(2027, 3, 1),
    )
    sample = sample_draw(
        audit=audit,
        snapshot=snapshot,
        size=15,
        seed=20140101,
        criteria={"repeat_only": True, "max_interval_years": 3},
        stratify=["gender", "category"],
        user=lead,
    )
    sample_lock(sample=sample, user=lead)
    from caseaudit.findings.demo import load_demo_briefing_content, load_demo_findings
    from caseaudit.returns.demo import load_demo_returns

    load_demo_returns(audit, lead)
    load_demo_findings(audit, lead)
    deep_dive = audit_create(
        partnership=partnership,
        title="Neglect: a multi-agency deep dive",
        theme="Neglect",
        aim=(
            "To understand how well agencies work together to spot the early signs of neglect "
            "and respond to them, and what difference that makes for children."
        ),
        scope_questions=[
            "Were the early signs of neglect recognised and acted on?",
            "Did plans change the child's lived experience?",
        ],
        terms_of_reference="A reflective deep dive into two families with practitioners.",
        methodology=Methodology.DEEP_DIVE,
        template_name="Neglect deep dive",
        agencies=list(agencies),
        user=lead,
        planned_month=date(2026, 10, 1),
        returns_due=date(2026, 10, 16),
        meeting_date=date(2026, 10, 23),
        report_due=date(2026, 11, 20),
    )
    sample = sample_draw(
        audit=deep_dive,
        snapshot=snapshot,
        size=2,
        seed=20201001,
        criteria={"categories": ["neglect"]},
        user=lead,
    )
    sample_lock(sample=sample, user=lead)
    load_demo_briefing_content(deep_dive, lead)
    from caseaudit.actions.demo import load_demo_actions, load_demo_recommendation_actions
    from caseaudit.concerns.demo import load_demo_concerns

    load_demo_concerns(audit, lead, User.objects.get(email="manager@north.example"))
    load_demo_actions(audit)
    load_demo_recommendation_actions(audit)


def sign_ins() -> list[tuple[str, str]]:
    rows = []
    for email, _, slug, role, agency_name in PEOPLE:
        if User.objects.filter(email=email).exists():
            where = f" ({agency_name})" if agency_name else ""
            rows.append((email, f"{Role(role).label}{where}, {slug}"))
    return rows
