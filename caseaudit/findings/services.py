"""Writing findings and the other parts of a publication. Views validate with the forms in
forms.py and call these; every function takes keyword arguments."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.actions.services import source_deleted
from caseaudit.audits.models import Audit, SampledCase
from caseaudit.findings.models import Finding, FindingQuote, Recommendation, ReportText
from caseaudit.returns.models import Answer
from caseaudit.themes.services import comment_text, comments_of_audit


def _next_number(model, audit: Audit, **scope) -> int:
    top = model.objects.filter(audit=audit, **scope).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _scope(item) -> dict:
    """Items are numbered within their audit, and points within their kind as well."""
    return {"kind": item.kind} if type(item).__name__ == "ReportPoint" else {}


@transaction.atomic
def item_save(*, audit: Audit, model, fields: dict, user, item=None):
    """Creates (at the end of its list) or changes one finding, recommendation, learning theme,
    point or vignette of the audit."""
    now = timezone.now()
    if item is None:
        item = model(audit=audit, created_by=user, created_at=now)
        for name, value in fields.items():
            setattr(item, name, value)
        item.number = _next_number(model, audit, **_scope(item))
    else:
        if item.audit_id != audit.pk:
            raise ValidationError("That item belongs to another audit")
        old_scope = _scope(item)
        for name, value in fields.items():
            setattr(item, name, value)
        if _scope(item) != old_scope:
            item.number = _next_number(model, audit, **_scope(item))
    item.updated_at = now
    item.save()
    _renumber(model, audit)
    return item


def _renumber(model, audit: Audit) -> None:
    """Numbers 1, 2, 3 with no gaps, in the current order (within each kind for points)."""
    counters: dict = {}
    for item in model.objects.filter(audit=audit).order_by(*model._meta.ordering):
        key = tuple(_scope(item).values())
        counters[key] = counters.get(key, 0) + 1
        if item.number != counters[key]:
            model.objects.filter(pk=item.pk).update(number=counters[key])


@transaction.atomic
def item_delete(*, item) -> None:
    """Deleting a recommendation keeps its actions: they stay, answering nothing."""
    model, audit = type(item), item.audit
    if isinstance(item, Recommendation):
        source_deleted(item)
    item.delete()
    _renumber(model, audit)


@transaction.atomic
def item_move(*, item, direction: str) -> None:
    """Swaps the item with the one above ("up") or below ("down") it in its list."""
    if direction not in ("up", "down"):
        raise ValidationError("Choose up or down")
    model = type(item)
    siblings = list(
        model.objects.filter(audit=item.audit, **_scope(item)).order_by(*model._meta.ordering)
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for number, sibling in enumerate(siblings, start=1):
            model.objects.filter(pk=sibling.pk).update(number=number)


def report_text_for(audit: Audit) -> ReportText:
    """The audit's narrative texts (an unsaved, empty row when none has been written)."""
    try:
        return audit.report_text
    except ReportText.DoesNotExist:
        return ReportText(audit=audit)


def report_text_save(*, audit: Audit, fields: dict, user) -> ReportText:
    text = report_text_for(audit)
    for name, value in fields.items():
        setattr(text, name, value)
    text.updated_by, text.updated_at = user, timezone.now()
    text.save()
    return text


def _names_in_sample(audit: Audit, own: str = "") -> list[tuple[str, str, bool]]:
    """(name or part of a name, pseudonym, whole name?) for every child in the sample, longest
    first, so a full name is replaced before its parts; where children share a name part (a
    sibling's surname, say), the `own` pseudonym's comes first. Decrypted here, on the server,
    and never shown or logged."""
    found = set()
    cases = SampledCase.objects.filter(sample__audit=audit).select_related("case")
    for sampled in cases:
        name = " ".join((sampled.case.name or "").split())
        if not name:
            continue
        found.add((name, sampled.pseudonym, True))
        found |= {(part, sampled.pseudonym, False) for part in name.split() if len(part) > 1}
    return sorted(found, key=lambda entry: (-len(entry[0]), entry[1] != own, entry))


def pseudonymise(text: str, audit: Audit, own: str = "") -> str:
    """The text with every sampled child's name replaced by their pseudonym: the whole name in
    any case and spacing, each part of it as written with its capital (so a first name that is
    also a word, like Hope, is left alone in "we hope"). A part several children share (a
    sibling's surname) becomes the pseudonym of `own`, the child the text is about. Dates of
    birth and everything else are the privacy check's to catch before publishing."""
    for name, pseudonym, whole in _names_in_sample(audit, own):
        if whole:
            pattern = r"\s+".join(re.escape(part) for part in name.split())
            text = re.sub(rf"(?<!\w){pattern}(?!\w)", pseudonym, text, flags=re.IGNORECASE)
        else:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", pseudonym, text)
    return text


@transaction.atomic
def quote_add(*, finding: Finding, answer_pk: int, user) -> FindingQuote:
    """Pulls one comment of the audit's submitted returns in under the finding, with the child
    shown by pseudonym and the agency named."""
    answer = (
        comments_of_audit(finding.audit)
        .filter(pk=answer_pk)
        .select_related("request__agency", "request__sampled_case", "question")
        .first()
    )
    if answer is None:
        raise ValidationError("That comment is not one of this audit's")
    existing = finding.quotes.filter(request=answer.request, question=answer.question).first()
    if existing:
        return existing
    return FindingQuote.objects.create(
        finding=finding,
        request=answer.request,
        question=answer.question,
        text=pseudonymise(
            comment_text(answer), finding.audit, own=answer.request.sampled_case.pseudonym
        ),
        attribution=_attribution(answer),
        added_by=user,
    )


def _attribution(answer: Answer) -> str:
    return f"{answer.request.agency.name}, {answer.request.sampled_case.pseudonym}"


def quote_remove(*, quote: FindingQuote) -> None:
    quote.delete()
