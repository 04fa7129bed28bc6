"""The demo audit comes with requests in every state, so `make run` has something to show."""

from caseaudit.accounts.demo import load_demo
from caseaudit.audits.models import Audit, Status
from caseaudit.returns.models import Answer, AuditRequest, RequestStatus
from caseaudit.returns.services import tracker_counts


def test_the_demo_audit_has_requests_in_every_state(db):
    load_demo()
    audit = Audit.objects.get(title="Repeat Child Protection Plans")
    assert audit.status == Status.FIELDWORK
    assert audit.template_version.template.name == "Repeat Child Protection Plan"
    assert audit.template_version.is_frozen
    requests = AuditRequest.objects.filter(audit=audit)
    counts = tracker_counts(requests)
    assert counts["sent"] == counts["total"] > 30
    assert counts["returned"] > counts["total"] // 2
    assert counts["declined"] >= 1
    assert counts["outstanding"] >= 2
    csc = requests.filter(agency__code="CSC", assignee__email="auditor.csc@north.example")
    statuses = set(csc.values_list("status", flat=True))
    assert {RequestStatus.IN_PROGRESS, RequestStatus.SENT} <= statuses
    submitted = requests.filter(status=RequestStatus.SUBMITTED).first()
    assert Answer.objects.filter(request=submitted).count() >= 10
    # Loading again changes nothing.
    before = requests.count()
    load_demo()
    assert AuditRequest.objects.filter(audit=audit).count() == before
