import pytest
from django.core.management import CommandError, call_command

from caseaudit.themes.models import CommentTheme
from caseaudit.themes.services import themes_seed_for_partnership
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


def test_it_suggests_themes_once(world, capsys):
    themes_seed_for_partnership(partnership=world.north)
    audit = statistics_audit(world)
    call_command("suggest_themes", "--audit", str(audit.pk))
    made = CommentTheme.objects.filter(answer__request__audit=audit, suggested=True).count()
    assert made > 0
    assert f"Suggested {made} theme(s)" in capsys.readouterr().out
    call_command("suggest_themes", "--audit", str(audit.pk))
    assert "Suggested 0 theme(s)" in capsys.readouterr().out


def test_an_unknown_audit_is_an_error(world):
    with pytest.raises(CommandError, match="There is no audit with id 999"):
        call_command("suggest_themes", "--audit", "999")
