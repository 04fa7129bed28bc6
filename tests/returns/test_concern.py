"""An immediate concern raised on a return (services.concern_raise): it opens a Case of Concern
and emails the partnership's audit lead at once, naming no child."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.concerns.models import CaseOfConcern, ConcernSource, ConcernStatus
from caseaudit.returns.models import EventKind, RequestEvent
from caseaudit.returns.services import concern_raise, requests_create, requests_send
from tests.returns.factories import (
    CHILDREN,
    DUE,
    assert_no_identifying_details,
    audit_with_locked_sample,
    request_for,
    sampled_case,
)

AUDIT_TITLE = "Neglect: multi-agency audit"
DESCRIPTION = (
    "Ottoline Brackenbury (RT-1001, born 3 February 2014) told the school nurse last week that "
    "she is scared to go home."
)


@pytest.fixture
def request_a(world):
    """Child A's request to health, sent to hana."""
    audit = audit_with_locked_sample(world)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    mail.outbox.clear()
    return request_for(audit, "Child A", world.health)


def lead(world, name: str) -> User:
    user = User.objects.create_user(f"{name}@north.example", "pw", full_name=name.title())
    Membership.objects.create(user=user, partnership=world.north, role=Role.AUDIT_LEAD)
    return user


def test_a_concern_opens_a_case_of_concern(world, request_a):
    concern = concern_raise(request=request_a, user=world.hana, description=f"  {DESCRIPTION}\n")

    assert CaseOfConcern.objects.get() == concern
    assert concern.audit == request_a.audit
    assert concern.sampled_case == sampled_case(request_a.audit, "Child A")
    assert concern.request == request_a
    assert concern.source == ConcernSource.RETURN_FLAG
    assert concern.description == DESCRIPTION
    assert concern.raised_by == world.hana
    assert (concern.status, concern.category) == (ConcernStatus.OPEN, None)
    assert timezone.now() - concern.raised_at < datetime.timedelta(minutes=1)
    event = RequestEvent.objects.get(request=request_a, kind=EventKind.CONCERN)
    assert event.by == world.hana


def test_the_audit_lead_is_emailed_at_once(world, request_a):
    concern = concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)

    [message] = mail.outbox
    assert message.to == ["lena@north.example"]
    assert message.subject == f"[caseaudit] Immediate concern raised: act today: {AUDIT_TITLE}"
    assert "Case: Child A" in message.body
    assert "Raised by: Hana (North Health Trust)" in message.body
    assert "http://127.0.0.1:8000" + reverse("return_start", args=[request_a.pk]) in message.body
    concern.refresh_from_db()
    assert timezone.now() - concern.audit_lead_notified_at < datetime.timedelta(minutes=1)


def test_the_email_names_no_child_and_leaves_the_description_in_the_service(world, request_a):
    concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)
    assert_no_identifying_details(mail.outbox, CHILDREN)
    assert "scared to go home" not in mail.outbox[0].body


def test_each_audit_lead_gets_their_own_email(world, request_a):
    lead(world, "leo")
    concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)
    assert sorted(m.to for m in mail.outbox) == [["lena@north.example"], ["leo@north.example"]]


def test_leads_who_have_left_are_not_emailed(world, request_a):
    gone = lead(world, "leo")
    gone.is_active = False
    gone.save()
    Membership.objects.filter(user=lead(world, "lou")).update(is_active=False)
    concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)
    assert [m.to for m in mail.outbox] == [["lena@north.example"]]


def test_without_an_audit_lead_the_partnership_admins_are_emailed(world, request_a):
    world.memberships["lena"].is_active = False
    world.memberships["lena"].save()
    concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)
    # alice is North's admin; sol, South's, hears nothing of North's children.
    assert [m.to for m in mail.outbox] == [["alice@north.example"]]


def test_with_nobody_to_tell_the_case_of_concern_is_still_opened(world, request_a):
    Membership.objects.filter(
        partnership=world.north, role__in=[Role.AUDIT_LEAD, Role.PARTNERSHIP_ADMIN]
    ).update(is_active=False)
    concern = concern_raise(request=request_a, user=world.hana, description=DESCRIPTION)
    assert mail.outbox == []
    concern.refresh_from_db()
    assert concern.audit_lead_notified_at is None
    assert CaseOfConcern.objects.count() == 1


@pytest.mark.parametrize("description", ["", "   \n "])
def test_a_concern_needs_a_description(world, request_a, description):
    with pytest.raises(ValidationError) as error:
        concern_raise(request=request_a, user=world.hana, description=description)
    assert error.value.message_dict == {
        "description": ["Describe what makes you think the child may be at risk now"]
    }
    assert not CaseOfConcern.objects.exists()
    assert not RequestEvent.objects.filter(kind=EventKind.CONCERN).exists()
    assert mail.outbox == []
