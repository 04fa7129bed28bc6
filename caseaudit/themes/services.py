from django.db import transaction

from caseaudit.accounts.models import Partnership
from caseaudit.themes.models import Theme
from caseaudit.themes.starter import STARTER_THEMES


def themes_seed_for_partnership(*, partnership: Partnership) -> int:
    """Create any starter theme the partnership lacks (by key); returns how many were made."""
    made = 0
    with transaction.atomic():
        existing = set(partnership.themes.values_list("key", flat=True))
        for order, (key, name) in enumerate(STARTER_THEMES, start=1):
            if key not in existing:
                Theme.objects.create(partnership=partnership, key=key, name=name, order=order)
                made += 1
    return made
