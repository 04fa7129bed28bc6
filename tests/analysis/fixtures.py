"""A small audit whose statistics are worked out by hand in test_statistics.py.

Five children (Child 1 to Child 5), each known to children's social care (CSC) and health
(HEALTH): ten requests. Nine returns are submitted; health's return for Child 5 is saved but not
submitted, so its answers must count nowhere. The template is tests/returns/factories.SPEC.

    return      lead_agency  tools                         seen_alone  child_view  visits
    C1 CSC      social_care  graded_care; chronology      yes         yes         4
    C2 CSC      social_care  chronology                   yes         no          2
    C3 CSC      social_care  none                         no          -           0
    C4 CSC      health       (comment only, no answer)    n/a         -           -
    C5 CSC      social_care  -                            yes         yes         -
    C1 HEALTH   social_care  graded_care; chronology;     yes         n/a         -
                             genogram
    C2 HEALTH   health       chronology                   no          -           -
    C3 HEALTH   unclear      -                            n/a         -           -
    C4 HEALTH   social_care  -                            yes         yes         -
    C5 HEALTH   (not submitted: seen_alone yes, lead_agency health)

Nobody answers plan_date; only C1 CSC writes a summary.
"""

from caseaudit.returns.answers import Value
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import requests_create, requests_send, return_submit
from tests.returns.factories import DUE, audit_with_locked_sample, many_children, save_answers

CHILDREN = many_children(5)

SUBMITTED = {
    ("Child 1", "csc"): {
        "lead_agency": "social_care",
        "tools": ("graded_care", "chronology"),
        "seen_alone": "yes",
        "child_view": "yes",
        "child_words": "She said she liked her new school.",
        "visits": "4",
        "summary": "Regular visits and a clear plan.",
    },
    ("Child 2", "csc"): {
        "lead_agency": "social_care",
        "tools": ("chronology",),
        "seen_alone": "yes",
        "child_view": "no",
        "visits": "2",
    },
    ("Child 3", "csc"): {
        "lead_agency": "social_care",
        "tools": ("none",),
        "seen_alone": "no",
        "visits": "0",
    },
    ("Child 4", "csc"): {
        "lead_agency": "health",
        "tools": Value(comment="No tools were recorded on the file."),
        "seen_alone": "not_applicable",
    },
    ("Child 5", "csc"): {
        "lead_agency": "social_care",
        "seen_alone": "yes",
        "child_view": "yes",
        "child_words": "He wants to see his dad more.",
    },
    ("Child 1", "health"): {
        "lead_agency": "social_care",
        "tools": ("graded_care", "chronology", "genogram"),
        "seen_alone": "yes",
        "child_view": "not_applicable",
    },
    ("Child 2", "health"): {
        "lead_agency": "health",
        "tools": ("chronology",),
        "seen_alone": "no",
    },
    ("Child 3", "health"): {"lead_agency": "unclear", "seen_alone": "not_applicable"},
    ("Child 4", "health"): {
        "lead_agency": "social_care",
        "seen_alone": "yes",
        "child_view": "yes",
        "child_words": "Nothing recorded in the child's words.",
    },
}
NOT_SUBMITTED = {("Child 5", "health"): {"lead_agency": "health", "seen_alone": "yes"}}


def statistics_audit(world, **audit_options):
    """The audit in the module docstring, with every return as the table says."""
    audit = audit_with_locked_sample(world, children=CHILDREN, **audit_options)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    agencies = {"csc": world.csc, "health": world.health}
    users = {"csc": world.chris, "health": world.hana}
    for (pseudonym, agency), answers in {**SUBMITTED, **NOT_SUBMITTED}.items():
        request = AuditRequest.objects.get(
            audit=audit, sampled_case__pseudonym=pseudonym, agency=agencies[agency]
        )
        result = save_answers(request, users[agency], answers)
        if (pseudonym, agency) in SUBMITTED:
            return_submit(request=request, user=users[agency], expected_version=result.version)
    return audit
