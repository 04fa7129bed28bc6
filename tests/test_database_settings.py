"""PostgreSQL sessions get the work_mem the statistics need (CASEAUDIT_PG_WORK_MEM) and no JIT
compilation (CASEAUDIT_PG_JIT): docs/deployment.md."""

import subprocess
import sys

import pytest
from django.db import connection

PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _options(tmp_path, **env) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'caseaudit.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "CASEAUDIT_DATA_DIR": str(tmp_path), **env},
        check=False,
    )


def test_postgresql_sessions_ask_for_32mb_by_default(tmp_path):
    result = _options(tmp_path, DATABASE_URL=PG_URL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c work_mem=32MB -c jit=off"


def test_the_size_can_be_changed_or_left_to_the_server(tmp_path):
    found = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_WORK_MEM="64MB")
    assert found.stdout.strip() == "-c work_mem=64MB -c jit=off"
    found = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_WORK_MEM="")
    assert found.stdout.strip() == "-c jit=off"


def test_jit_can_be_turned_on_or_left_to_the_server(tmp_path):
    found = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_JIT="on")
    assert found.stdout.strip() == "-c work_mem=32MB -c jit=on"
    found = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_JIT="", CASEAUDIT_PG_WORK_MEM="")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == ""
    result = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_JIT="maybe")
    assert result.returncode != 0
    assert "CASEAUDIT_PG_JIT must be on, off or empty, not 'maybe'" in result.stderr


def test_a_size_that_is_not_one_stops_the_app_with_a_clear_error(tmp_path):
    result = _options(tmp_path, DATABASE_URL=PG_URL, CASEAUDIT_PG_WORK_MEM="lots; DROP")
    assert result.returncode != 0
    assert "CASEAUDIT_PG_WORK_MEM must be a size such as 32MB, not 'lots; DROP'" in result.stderr


def test_sqlite_has_no_such_option(tmp_path):
    result = _options(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.django_db
def test_the_test_database_session_has_it():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "32MB"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
