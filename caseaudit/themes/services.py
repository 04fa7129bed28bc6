from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from caseaudit.accounts.models import Partnership, User
from caseaudit.audits.models import Audit
from caseaudit.questionnaires.models import QuestionType
from caseaudit.returns.models import Answer, RequestStatus
from caseaudit.themes.models import CommentTheme, Theme
from caseaudit.themes.starter import STARTER_THEMES
from caseaudit.themes.suggest import suggest


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


def comment_text(answer: Answer) -> str:
    """The words of one comment: the answer's comment, and for a free-text question its text."""
    parts = [answer.comment]
    if answer.question.type == QuestionType.TEXT:
        parts.insert(0, answer.text)
    return "\n".join(part for part in parts if part.strip())


def comments_of_audit(audit: Audit) -> QuerySet[Answer]:
    """Answer rows of the audit's submitted returns that carry a comment or free text."""
    return (
        Answer.objects.filter(request__audit=audit, request__status=RequestStatus.SUBMITTED)
        .filter(~Q(comment="") | (Q(question__type=QuestionType.TEXT) & ~Q(text="")))
        .select_related("question", "option", "request__agency", "request__sampled_case")
    )


def themes_suggest_for_audit(*, audit: Audit, only_new: bool = True) -> int:
    """Store the suggester's themes for every comment of the audit's submitted returns.

    With `only_new`, comments that already carry any theme row are left alone, so opening the
    comments page twice does no work twice. Confirmed rows are never removed. Returns how many
    suggestion rows were created."""
    themes = {t.key: t for t in audit.partnership.themes.filter(archived=False)}
    made = 0
    with transaction.atomic():
        answers = comments_of_audit(audit)
        if only_new:
            answers = answers.filter(comment_themes__isnull=True)
        for answer in answers:
            for key in sorted(suggest(comment_text(answer))):
                theme = themes.get(key)
                if theme is None:
                    continue
                _, created = CommentTheme.objects.update_or_create(
                    answer=answer, theme=theme, defaults={"suggested": True}
                )
                made += int(created)
    return made


def comment_themes_confirm(*, answer: Answer, themes: list[Theme], user: User) -> None:
    """A person settles the themes of one comment: the chosen themes become confirmed (by whom
    and when); unchosen suggestions stay as suggestions but lose any confirmation."""
    partnership_id = answer.request.audit.partnership_id
    if any(theme.partnership_id != partnership_id for theme in themes):
        raise ValidationError("A theme must belong to the audit's partnership")
    now = timezone.now()
    chosen = {theme.pk for theme in themes}
    with transaction.atomic():
        for row in CommentTheme.objects.filter(answer=answer).select_for_update():
            if row.theme_id not in chosen:
                if row.suggested:
                    row.confirmed, row.confirmed_by, row.confirmed_at = False, None, None
                    row.save()
                else:
                    row.delete()
        for theme in themes:
            row, _ = CommentTheme.objects.get_or_create(answer=answer, theme=theme)
            if not row.confirmed:
                row.confirmed, row.confirmed_by, row.confirmed_at = True, user, now
                row.save()


def theme_create(*, partnership: Partnership, name: str) -> dict[str, str]:
    """Adds a theme at the end of the list; returns errors by field (empty when added)."""
    name = name.strip()
    if not name:
        return {"name": "Enter a name for the theme"}
    if len(name) > 120:
        return {"name": "Theme name must be 120 characters or fewer"}
    key = slugify(name)[:60] or "theme"
    if partnership.themes.filter(Q(key=key) | Q(name__iexact=name)).exists():
        return {"name": "There is already a theme with this name"}
    last = partnership.themes.order_by("-order").values_list("order", flat=True).first() or 0
    Theme.objects.create(partnership=partnership, key=key, name=name, order=last + 1)
    return {}


def theme_update(*, theme: Theme, action: str, name: str = "") -> dict[str, str]:
    """Rename, move up or down, archive or restore one theme; returns errors by field."""
    if action == "rename":
        name = name.strip()
        if not name:
            return {"name": "Enter a name for the theme"}
        if len(name) > 120:
            return {"name": "Theme name must be 120 characters or fewer"}
        if theme.partnership.themes.exclude(pk=theme.pk).filter(name__iexact=name).exists():
            return {"name": "There is already a theme with this name"}
        theme.name = name
        theme.save(update_fields=["name"])
    elif action in ("up", "down"):
        siblings = list(theme.partnership.themes.order_by("order", "id"))
        index = siblings.index(theme)
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            with transaction.atomic():
                for order, sibling in enumerate(siblings, start=1):
                    if sibling.order != order:
                        Theme.objects.filter(pk=sibling.pk).update(order=order)
    elif action in ("archive", "restore"):
        theme.archived = action == "archive"
        theme.save(update_fields=["archived"])
    else:
        return {"action": "Choose what to do with the theme"}
    return {}
