from django.db import migrations

from caseaudit.themes.starter import STARTER_THEMES


def seed(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Theme = apps.get_model("themes", "Theme")
    for partnership in Partnership.objects.all():
        existing = set(Theme.objects.filter(partnership=partnership).values_list("key", flat=True))
        for order, (key, name) in enumerate(STARTER_THEMES, start=1):
            if key not in existing:
                Theme.objects.create(partnership=partnership, key=key, name=name, order=order)


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
