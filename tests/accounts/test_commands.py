"""The provisioning commands operators script against: create_partnership, create_agency,
create_user. Each prints what it created and exits non-zero, changing nothing, on bad input."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from caseaudit.accounts.models import Agency, Membership, Partnership, User


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestCreatePartnership:
    def test_it_creates_and_prints(self):
        out = run("create_partnership", "--name", "Eastmoor SCP", "--slug", "eastmoor")
        partnership = Partnership.objects.get(slug="eastmoor")
        assert partnership.name == "Eastmoor SCP"
        assert "Created partnership Eastmoor SCP" in out
        assert f"id {partnership.pk}" in out

    def test_it_refuses_a_bad_slug(self):
        with pytest.raises(CommandError, match="lower-case"):
            run("create_partnership", "--name", "Eastmoor", "--slug", "East Moor")
        assert not Partnership.objects.exists()

    def test_it_refuses_a_duplicate(self):
        run("create_partnership", "--name", "Eastmoor", "--slug", "eastmoor")
        with pytest.raises(CommandError, match="already exists"):
            run("create_partnership", "--name", "Eastmoor", "--slug", "eastmoor-2")
        assert Partnership.objects.count() == 1


class TestCreateAgency:
    def test_it_creates_and_prints(self, world):
        out = run(
            "create_agency",
            "--partnership",
            "north",
            "--name",
            "North Schools",
            "--sector",
            "education",
        )
        agency = Agency.objects.get(name="North Schools")
        assert list(agency.partnerships.all()) == [world.north]
        assert "Created agency North Schools (Education" in out

    def test_it_shares_an_existing_agency(self, world):
        out = run(
            "create_agency",
            "--partnership",
            "south",
            "--name",
            "north health trust",
            "--sector",
            "health",
        )
        assert "Linked existing agency North Health Trust" in out
        assert set(world.health.partnerships.all()) == {world.north, world.south}

    def test_it_refuses_an_unknown_sector(self, world):
        with pytest.raises(CommandError, match="Unknown sector 'hospital'"):
            run("create_agency", "--partnership", "north", "--name", "X", "--sector", "hospital")
        assert not Agency.objects.filter(name="X").exists()

    def test_it_refuses_an_unknown_partnership(self, world):
        with pytest.raises(CommandError, match="No partnership with slug 'west'"):
            run("create_agency", "--partnership", "west", "--name", "X", "--sector", "health")


class TestCreateUser:
    def test_it_creates_a_user_with_a_set_password_link(self, world):
        out = run(
            "create_user",
            "--email",
            "Nia@North.example",
            "--partnership",
            "north",
            "--role",
            "agency_auditor",
            "--agency",
            "north health trust",
        )
        user = User.objects.get(email="nia@north.example")
        membership = Membership.objects.get(user=user)
        assert membership.role == "agency_auditor"
        assert membership.agency == world.health
        assert not user.has_usable_password()
        assert "Created user nia@north.example: Agency auditor at North Health Trust" in out
        assert "/accounts/password/reset/key/" in out

    def test_it_adds_a_role_for_an_existing_user(self, world):
        out = run(
            "create_user",
            "--email",
            "lena@north.example",
            "--partnership",
            "south",
            "--role",
            "audit_lead",
        )
        assert "Existing user lena@north.example: Audit lead in South" in out
        assert world.lena.memberships.count() == 2

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--email", "not-an-email", "--role", "moderator"], "not a valid email"),
            (["--email", "x@north.example", "--role", "boss"], "Unknown role 'boss'"),
            (["--email", "x@north.example", "--role", "agency_auditor"], "Select the agency"),
            (
                ["--email", "x@north.example", "--role", "moderator", "--agency", "Nowhere"],
                "No agency named 'Nowhere'",
            ),
            (["--email", "alice@north.example", "--role", "moderator"], "already has a role"),
        ],
    )
    def test_it_refuses_bad_input(self, world, args, message):
        users = User.objects.count()
        memberships = Membership.objects.count()
        with pytest.raises(CommandError, match=message):
            run("create_user", "--partnership", "north", *args)
        assert User.objects.count() == users
        assert Membership.objects.count() == memberships


def test_the_console_script_exits_non_zero_with_a_clear_message(tmp_path):
    """Through the real `caseaudit` entry point, as an operator's script would call it, against
    its own fresh SQLite database."""
    env = {"CASEAUDIT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60}

    def caseaudit(*args):
        return subprocess.run(
            [sys.executable, "-m", "caseaudit", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    assert caseaudit("migrate", "--no-input").returncode == 0
    result = caseaudit("create_agency", "--partnership", "nowhere", "--name", "X", "--sector", "x")
    assert result.returncode == 1
    assert "No partnership with slug 'nowhere'" in result.stderr
    assert "Traceback" not in result.stderr
    result = caseaudit("create_partnership", "--name", "Eastmoor", "--slug", "eastmoor")
    assert result.returncode == 0
    assert "Created partnership Eastmoor (slug eastmoor" in result.stdout
