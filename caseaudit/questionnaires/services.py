"""Writing templates. A template version is built from a *spec*: the same dictionary shape as a
template file (see docs/formats.md), already validated by `templatefile.parse_template`:

    {"name", "description", "grade_scale": [{"key", "label", "meaning"}],
     "sections": [{"title", "description",
                   "questions": [{"key", "text", "type", "required", "comment", "comment_label",
                                  "help", "min", "max", "show_if": {"question", "options"} | None,
                                  "options": [{"key", "label", "meaning"}]}]}]}

Choice questions always get their option rows here: yes / no / not applicable questions the
standard three unless the spec gives its own, grade questions the version's grade scale."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.questionnaires.models import (
    DEFAULT_GRADE_SCALE,
    YES_NO_NA_OPTIONS,
    Option,
    Question,
    QuestionType,
    Section,
    Template,
    TemplateVersion,
)


def default_grade_scale() -> list[dict]:
    return [
        {"key": key, "label": label, "meaning": str(meaning)}
        for key, label, meaning in DEFAULT_GRADE_SCALE
    ]


def options_for(question: dict, grade_scale: list[dict]) -> list[dict]:
    """The options a question of the spec ends up with."""
    if question["type"] == QuestionType.GRADE:
        return question.get("options") or grade_scale
    if question["type"] == QuestionType.YES_NO_NA and not question.get("options"):
        return [
            {"key": key, "label": label, "meaning": str(meaning)}
            for key, label, meaning in YES_NO_NA_OPTIONS
        ]
    return question.get("options") or []


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@transaction.atomic
def version_create(
    *, template: Template, spec: dict, user=None, source: str = ""
) -> TemplateVersion:
    """A new version of `template` holding exactly what `spec` says."""
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    grade_scale = spec.get("grade_scale") or default_grade_scale()
    version = TemplateVersion.objects.create(
        template=template, number=number, grade_scale=grade_scale, created_by=user, source=source
    )
    by_key: dict[str, Question] = {}
    for section_order, section_spec in enumerate(spec["sections"], start=1):
        section = Section.objects.create(
            version=version,
            order=section_order,
            title=section_spec["title"],
            description=section_spec.get("description", ""),
        )
        for question_order, q in enumerate(section_spec.get("questions", []), start=1):
            show_if = q.get("show_if") or None
            question = Question.objects.create(
                version=version,
                section=section,
                order=question_order,
                key=q["key"],
                text=q["text"],
                help=q.get("help", ""),
                type=q["type"],
                required=bool(q.get("required", True)),
                comment=bool(q.get("comment", False)),
                comment_label=q.get("comment_label", ""),
                show_if_question=by_key[show_if["question"]] if show_if else None,
                show_if_options=list(show_if["options"]) if show_if else [],
                min_value=_decimal(q.get("min")),
                max_value=_decimal(q.get("max")),
            )
            Option.objects.bulk_create(
                Option(
                    question=question,
                    order=order,
                    key=option["key"],
                    label=option["label"],
                    meaning=option["meaning"],
                )
                for order, option in enumerate(options_for(q, grade_scale), start=1)
            )
            by_key[question.key] = question
    return version


@transaction.atomic
def template_create(
    *, partnership, spec: dict, user=None, source: str = ""
) -> tuple[Template, TemplateVersion]:
    """A template from a spec. When the partnership already has a template of that name, the
    spec becomes its next version (a template file imported again is an edit)."""
    template, created = Template.objects.get_or_create(
        partnership=partnership,
        name=spec["name"],
        defaults={"description": spec.get("description", ""), "created_by": user},
    )
    if not created and spec.get("description"):
        template.description = spec["description"]
        template.save(update_fields=["description"])
    return template, version_create(template=template, spec=spec, user=user, source=source)


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def version_spec(version: TemplateVersion) -> dict:
    """The spec of a version: what `export_template` writes and `version_create` reads back."""
    questions = (
        Question.objects.filter(version=version)
        .select_related("show_if_question")
        .prefetch_related("options")
        .order_by("section__order", "order", "id")
    )
    by_section: dict[int, list[dict]] = {}
    for q in questions:
        entry = {
            "key": q.key,
            "text": q.text,
            "type": q.type,
            "required": q.required,
            "comment": q.comment,
            "help": q.help,
        }
        if q.comment_label:
            entry["comment_label"] = q.comment_label
        if q.min_value is not None:
            entry["min"] = _number(q.min_value)
        if q.max_value is not None:
            entry["max"] = _number(q.max_value)
        if q.show_if_question_id:
            entry["show_if"] = {"question": q.show_if_question.key, "options": q.show_if_options}
        entry["options"] = [
            {"key": o.key, "label": o.label, "meaning": o.meaning} for o in q.options.all()
        ]
        by_section.setdefault(q.section_id, []).append(entry)
    return {
        "name": version.template.name,
        "description": version.template.description,
        "grade_scale": version.grade_scale,
        "sections": [
            {
                "title": section.title,
                "description": section.description,
                "questions": by_section.get(section.pk, []),
            }
            for section in version.sections.order_by("order", "id")
        ],
    }


def version_copy(*, version: TemplateVersion, user=None) -> TemplateVersion:
    """The next version of the template, starting as a copy of `version` (how a frozen version
    is edited)."""
    return version_create(
        template=version.template,
        spec=version_spec(version),
        user=user,
        source=f"Copy of version {version.number}",
    )


def version_editable(*, version: TemplateVersion, user=None) -> TemplateVersion:
    """The version the builder should change: `version` itself while it is a draft; once it is
    frozen, the template's newest draft, made as a copy when there is none."""
    if not version.is_frozen:
        return version
    latest = version.template.latest_version()
    if latest is not None and not latest.is_frozen:
        return latest
    return version_copy(version=version, user=user)


def version_freeze(version: TemplateVersion) -> None:
    """Called when the first request using the version is sent. Idempotent."""
    TemplateVersion.objects.filter(pk=version.pk, frozen_at=None).update(frozen_at=timezone.now())
    version.refresh_from_db(fields=["frozen_at"])


def check_version_editable(version: TemplateVersion) -> None:
    """Raises ValidationError when the version is frozen. Every change the builder makes goes
    through this (with the row locked), so a version cannot change after its first request."""
    locked = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_frozen:
        raise ValidationError(
            "This version has been sent to agencies, so it cannot change. "
            "Make a new version to edit it."
        )
