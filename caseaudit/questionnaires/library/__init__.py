"""The starter library: four audit templates written for caseaudit, for partnerships to import
and adapt. Each is a template file (docs/formats.md) in this folder, named by its slug."""

from importlib import resources

from caseaudit.questionnaires.models import Template, TemplateVersion
from caseaudit.questionnaires.services import template_create
from caseaudit.questionnaires.templatefile import load_template_file

SLUGS = (
    "repeat_child_protection_plan",
    "neglect_deep_dive",
    "single_agency_safeguarding_risk",
    "parental_mental_health",
)


def load(slug: str) -> dict:
    """The spec of a starter template, checked by parse_template. KeyError for an unknown slug."""
    if slug not in SLUGS:
        raise KeyError(slug)
    content = resources.files(__package__).joinpath(f"{slug}.yaml").read_bytes()
    return load_template_file(content, f"{slug}.yaml")


def available() -> list[dict]:
    """Every starter template: [{"slug", "name", "description"}], in a fixed order."""
    specs = ((slug, load(slug)) for slug in SLUGS)
    return [
        {"slug": slug, "name": spec["name"], "description": spec["description"]}
        for slug, spec in specs
    ]


def source_of(slug: str) -> str:
    """What a version imported from the library records as its source."""
    return f"Starter library: {slug}.yaml"


def load_library(partnership, *, user=None) -> list[TemplateVersion]:
    """Gives the partnership every starter template it has no template of the same name for
    (so it is safe to run again, and never adds a version to a template already there).
    Returns the versions made."""
    made = []
    for slug in SLUGS:
        spec = load(slug)
        if Template.objects.filter(partnership=partnership, name=spec["name"]).exists():
            continue
        _, version = template_create(
            partnership=partnership, spec=spec, user=user, source=source_of(slug)
        )
        made.append(version)
    return made
