"""Writes about an audit's sample: drawing it, locking it and swapping a child after locking.

The rules of the draw live in `caseaudit.audits.sampling` (plain data, no database); this module
loads the candidates, works out who was audited recently, checks the input and stores the result.
Candidates are loaded with `values_list` over derived fields only, so drawing never decrypts a
name, date of birth or child id.

Decisions:
- Drawing the first sample of an audit in planning moves it to sampling (through `audit_move`, so
  the move is recorded). Drawing again while the sample is unlocked replaces it; once locked it
  cannot be drawn again, only swapped child by child with a reason.
- "Audited in the last N months" means sampled (and not swapped out) by another audit of the same
  partnership whose sample was drawn within the partnership's `recency_months`, matched by
  `child_key`, so the same child is recognised across snapshots.
"""

import calendar
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import starmap

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.audits.models import Audit, Sample, SampledCase, Status
from caseaudit.audits.sampling import (
    CANDIDATE_FIELDS,
    STRATIFY_FIELDS,
    Candidate,
    Criteria,
    Draw,
    draw,
    pseudonym,
    replacement,
)
from caseaudit.audits.services import audit_move
from caseaudit.population.models import PopulationCase, PopulationSnapshot
from caseaudit.population.parsing import PLAN_CATEGORIES

MAX_SEED = 2**63 - 1  # the largest value a BigIntegerField holds
MAX_AGE = 25
MAX_REASON = 500


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier (the last day of the month when that day does
    not exist, so 31 May less 3 months is 28 or 29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def recently_audited_child_keys(*, audit: Audit, now: datetime | None = None) -> set[str]:
    months = audit.partnership.recency_months
    if not months:
        return set()
    since = months_before(now or timezone.now(), months)
    return set(
        SampledCase.objects.filter(
            sample__audit__partnership_id=audit.partnership_id,
            sample__drawn_at__gte=since,
            removed_at__isnull=True,
        )
        .exclude(sample__audit=audit)
        .values_list("case__child_key", flat=True)
    )


def sample_candidates(snapshot: PopulationSnapshot, *, characteristics: bool) -> list[Candidate]:
    """Every child in the snapshot as a `Candidate`, from derived fields only.

    The query is the ORM's, but its rows are read straight from the cursor: Django's per-value
    converters cost more than the draw itself over 100,000 children, and none is needed here
    (an SQLite boolean arrives as 0 or 1, which tests the same). Characteristics, a JSON list per
    row, are only read when a criterion needs them."""
    fields = CANDIDATE_FIELDS if characteristics else CANDIDATE_FIELDS[:-1]
    query = PopulationCase.objects.filter(snapshot=snapshot).order_by("id").values_list(*fields)
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if characteristics:
        return [
            Candidate(*row[:-1], json.loads(row[-1]) if isinstance(row[-1], str) else row[-1])
            for row in rows
        ]
    return list(starmap(Candidate, rows))


def _whole_number(value, *, field: str, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None


def _text_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    cleaned: list[str] = []
    for item in value:
        text = " ".join(str(item).split())
        if text and text not in cleaned:
            cleaned.append(text)
    return tuple(cleaned)


def criteria_clean(data: Criteria | Mapping | None) -> Criteria:
    """Checks sampling criteria from a form, the command line or a stored sample."""
    if isinstance(data, Criteria):
        data = data.as_dict()
    data = dict(data or {})
    errors: dict[str, str] = {}

    categories = []
    for text in _text_list(data.get("categories")):
        category = text.lower().replace(" ", "_")
        if category not in PLAN_CATEGORIES:
            errors["categories"] = (
                "Plan categories must be neglect, emotional abuse, physical abuse, sexual "
                f"abuse or multiple (found '{text}')"
            )
        elif category not in categories:
            categories.append(category)
    categories.sort(key=PLAN_CATEGORIES.index)

    ages = {}
    for key, label in (("min_age", "youngest"), ("max_age", "oldest")):
        value = data.get(key)
        if value in (None, ""):
            ages[key] = None
            continue
        message = f"Enter the {label} age as a whole number of years from 0 to {MAX_AGE}"
        try:
            ages[key] = _whole_number(value, field=key, message=message)
        except ValidationError:
            errors[key] = message
            continue
        if not 0 <= ages[key] <= MAX_AGE:
            errors[key] = message
    youngest, oldest = ages.get("min_age"), ages.get("max_age")
    if youngest is not None and oldest is not None and youngest > oldest:
        errors["max_age"] = "The oldest age must be the same as or more than the youngest"

    interval = data.get("max_interval_years")
    if interval in (None, ""):
        interval = None
    else:
        try:
            interval = float(interval)
        except (TypeError, ValueError):
            interval = -1.0
        if not 0 < interval <= 50:
            errors["max_interval_years"] = (
                "Enter the longest interval since the previous plan as a number of years, "
                "for example 3"
            )

    if errors:
        raise ValidationError(errors)
    return Criteria(
        categories=tuple(categories),
        min_age=ages.get("min_age"),
        max_age=ages.get("max_age"),
        repeat_only=bool(data.get("repeat_only")),
        max_interval_years=interval,
        teams=_text_list(data.get("teams")),
        characteristics=_text_list(data.get("characteristics")),
    )


def stratify_clean(value: Sequence[str] | str | None) -> tuple[str, ...]:
    keys = [key.strip().lower().replace(" ", "_") for key in _text_list(value)]
    keys = ["category" if key == "plan_category" else key for key in keys]
    unknown = [key for key in keys if key not in STRATIFY_FIELDS]
    if unknown:
        raise ValidationError(
            {
                "stratify": "Stratify by gender, category or age_band "
                f"(found {', '.join(repr(key) for key in unknown)})"
            }
        )
    return tuple(dict.fromkeys(keys))


def _draw_clean(
    *, audit: Audit, snapshot: PopulationSnapshot, size, seed, criteria, stratify
) -> tuple[int, int, Criteria, tuple[str, ...]]:
    """Checks everything and reports every problem at once, each under its field."""
    errors: dict[str, list[str]] = {}

    def check(clean, *args, **kwargs):
        try:
            return clean(*args, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
            return None

    size = check(_whole_number, size, field="size", message="Enter the sample size as a number")
    if size is not None and size < 1:
        errors["size"] = ["The sample size must be 1 or more"]
    seed = check(_whole_number, seed, field="seed", message="Enter the random seed as a number")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        errors["seed"] = [f"The random seed must be between 0 and {MAX_SEED}"]
    if snapshot.partnership_id != audit.partnership_id:
        errors["snapshot"] = ["Select a population snapshot from this partnership"]
    criteria = check(criteria_clean, criteria)
    stratify = check(stratify_clean, stratify)
    if errors:
        raise ValidationError(errors)
    return size, seed, criteria, stratify


def sample_preview(
    *,
    audit: Audit,
    snapshot: PopulationSnapshot,
    size,
    seed,
    criteria: Criteria | Mapping | None = None,
    stratify: Sequence[str] | str = (),
) -> Draw:
    """The draw `sample_draw` would store, without storing anything (for the preview table)."""
    size, seed, criteria, stratify = _draw_clean(
        audit=audit, snapshot=snapshot, size=size, seed=seed, criteria=criteria, stratify=stratify
    )
    return draw(
        sample_candidates(snapshot, characteristics=bool(criteria.characteristics)),
        size=size,
        seed=seed,
        criteria=criteria,
        excluded_child_keys=recently_audited_child_keys(audit=audit),
        stratify=stratify,
    )


def sample_draw(
    *,
    audit: Audit,
    snapshot: PopulationSnapshot,
    size,
    seed,
    criteria: Criteria | Mapping | None = None,
    stratify: Sequence[str] | str = (),
    user=None,
) -> Sample:
    """Draws and stores the audit's sample, replacing an unlocked one. The `Draw` (make-up,
    exclusions, warnings) is left on `sample.draw` for the caller to show."""
    size, seed, criteria, stratify = _draw_clean(
        audit=audit, snapshot=snapshot, size=size, seed=seed, criteria=criteria, stratify=stratify
    )
    with transaction.atomic():
        # Locking the audit row makes two people drawing at once take turns.
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        existing = Sample.objects.filter(audit=audit).first()
        if existing is not None and existing.is_locked:
            raise ValidationError(
                {"sample": "The sample is locked and cannot be drawn again. Swap a child instead"}
            )
        result = draw(
            sample_candidates(snapshot, characteristics=bool(criteria.characteristics)),
            size=size,
            seed=seed,
            criteria=criteria,
            excluded_child_keys=recently_audited_child_keys(audit=audit),
            stratify=stratify,
        )
        if existing is not None:
            existing.delete()
        sample = Sample.objects.create(
            audit=audit,
            snapshot=snapshot,
            size=size,
            seed=seed,
            criteria={**criteria.as_dict(), "stratify": list(stratify)},
            drawn_by=user,
        )
        names = audit.partnership.pseudonym_names or []
        taken: set[str] = set()
        rows = []
        for position, case in enumerate(result.cases):
            name = pseudonym(position, names, taken)
            taken.add(name)
            rows.append(
                SampledCase(sample=sample, case_id=case.id, order=position + 1, pseudonym=name)
            )
        SampledCase.objects.bulk_create(rows)
        if audit.status == Status.PLANNING:
            audit_move(audit=audit, to_status=Status.SAMPLING, user=user, note="Sample drawn")
    sample.draw = result  # type: ignore[attr-defined]
    return sample


def sample_lock(*, sample: Sample, user=None) -> Sample:
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        if sample.is_locked:
            raise ValidationError({"sample": "The sample is already locked"})
        if not sample.cases.filter(removed_at__isnull=True).exists():
            raise ValidationError({"sample": "The sample has no children. Draw it again"})
        sample.locked_by = user
        sample.locked_at = timezone.now()
        sample.save(update_fields=["locked_by", "locked_at"])
    return sample


def sample_swap(*, sampled_case: SampledCase, reason: str, user=None) -> SampledCase:
    """Takes a child out of a locked sample, recording who, when and why, and draws a
    replacement (see `sampling.replacement`). Returns the replacement."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        sample = (
            Sample.objects.select_for_update()
            .select_related("audit__partnership", "snapshot")
            .get(pk=sampled_case.sample_id)
        )
        sampled_case = SampledCase.objects.select_for_update().get(pk=sampled_case.pk)
        if not sample.is_locked:
            raise ValidationError(
                {"sampled_case": "Lock the sample before swapping a child. Until then, draw again"}
            )
        if sampled_case.removed_at is not None:
            raise ValidationError({"sampled_case": "This child has already been swapped"})
        if not reason:
            raise ValidationError({"reason": "Enter the reason for swapping this child"})
        if len(reason) > MAX_REASON:
            raise ValidationError({"reason": f"Reason must be {MAX_REASON} characters or fewer"})

        criteria = criteria_clean(sample.criteria)
        stratify = stratify_clean(sample.criteria.get("stratify", []))
        candidates = sample_candidates(
            sample.snapshot, characteristics=bool(criteria.characteristics)
        )
        by_id = {case.id: case for case in candidates}
        members = list(sample.cases.all())
        chosen = replacement(
            candidates,
            seed=sample.seed,
            swap_number=sum(1 for member in members if member.replaces_id) + 1,
            criteria=criteria,
            excluded_child_keys=recently_audited_child_keys(audit=sample.audit),
            stratify=stratify,
            removed=by_id[sampled_case.case_id],
            sample=[by_id[member.case_id] for member in members],
        )
        if chosen is None:
            raise ValidationError(
                {
                    "sampled_case": "No other child meets the sample's criteria, so this child "
                    "cannot be swapped"
                }
            )
        sampled_case.removed_at = timezone.now()
        sampled_case.removed_by = user
        sampled_case.removal_reason = reason
        sampled_case.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        last = sample.cases.aggregate(last=Max("order"))["last"] or 0
        new = SampledCase.objects.create(
            sample=sample,
            case_id=chosen.id,
            order=last + 1,
            pseudonym=pseudonym(
                len(members),
                sample.audit.partnership.pseudonym_names or [],
                {member.pseudonym for member in members},
            ),
            replaces=sampled_case,
        )
    return new
