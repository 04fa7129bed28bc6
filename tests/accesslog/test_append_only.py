"""The access log is append-only: the ORM refuses changes, and so does the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accesslog.services import access_event_record


@pytest.fixture
def event(db):
    return access_event_record(action=Action.EXPORT, actor="alice@north.example", detail="csv")


def test_it_records_in_utc(event):
    assert event.occurred_at.utcoffset().total_seconds() == 0


def test_the_orm_refuses_to_change_a_row(event):
    event.detail = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()


def test_the_database_refuses_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accesslog_accessevent SET detail = 'changed'")
    assert AccessEvent.objects.get(pk=event.pk).detail == "csv"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's (see migration)"
)
def test_postgresql_refuses_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accesslog_accessevent")
    assert AccessEvent.objects.filter(pk=event.pk).exists()
