"""Population figures: plain data computed by GROUP BY queries over a snapshot."""

from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet

from caseaudit.population.models import (
    AgeBand,
    Benchmark,
    PlanCategory,
    PopulationCase,
    PopulationSnapshot,
)

# Intervals between the end of the previous plan and the start of this one.
INTERVAL_BANDS = [
    ("Under 1 year", 0, 365),
    ("1 to 2 years", 365, 730),
    ("2 to 3 years", 730, 1095),
    ("3 to 5 years", 1095, 1826),
    ("5 years or more", 1826, None),
]


def percentage(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _counts(cases: QuerySet, field: str, order: list[str] | None = None) -> list[dict]:
    """Counts by value: every value of `order` (zeros included, but "not known" only when
    there are some), or, without an order, the values found, largest first."""
    rows = dict(cases.values_list(field).annotate(n=Count("id")).order_by())
    total = sum(rows.values())
    if order is None:
        keys = sorted(rows, key=lambda key: (-rows[key], key))
    else:
        keys = [key for key in order if key != AgeBand.UNKNOWN or rows.get(key)]
    return [
        {"value": key, "count": rows.get(key, 0), "percent": percentage(rows.get(key, 0), total)}
        for key in keys
    ]


def population_figures(snapshot: PopulationSnapshot) -> dict:
    cases = PopulationCase.objects.filter(snapshot=snapshot)
    total = snapshot.row_count
    repeat = cases.filter(is_repeat=True)
    repeat_count = repeat.count()
    interval = repeat.exclude(days_since_previous_plan=None).aggregate(
        shortest=Min("days_since_previous_plan"), longest=Max("days_since_previous_plan")
    )
    distribution = []
    for label, low, high in INTERVAL_BANDS:
        band = repeat.filter(days_since_previous_plan__gte=low)
        if high is not None:
            band = band.filter(days_since_previous_plan__lt=high)
        count = band.count()
        distribution.append(
            {"value": label, "count": count, "percent": percentage(count, repeat_count)}
        )
    groups = (
        cases.exclude(sibling_group="")
        .values("sibling_group")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    group_sizes = [group["n"] for group in groups]
    categories = _counts(cases, "plan_category", list(PlanCategory.values))
    for row in categories:
        row["label"] = PlanCategory(row["value"]).label
    age_bands = _counts(cases, "age_band", list(AgeBand.values))
    for row in age_bands:
        row["label"] = AgeBand(row["value"]).label
    return {
        "snapshot": snapshot.pk,
        "as_of": snapshot.as_of.isoformat(),
        "total": total,
        "by_category": categories,
        "by_age_band": age_bands,
        "by_gender": _counts(cases, "gender"),
        "by_team": _counts(cases, "team"),
        "repeat_plans": {
            "count": repeat_count,
            "rate": percentage(repeat_count, total),
            "interval_days": {"shortest": interval["shortest"], "longest": interval["longest"]},
            "interval_distribution": distribution,
        },
        "sibling_groups": {
            "groups": len(group_sizes),
            "children": sum(group_sizes),
        },
    }


def benchmark_comparison(snapshot: PopulationSnapshot, figures: dict) -> list[dict]:
    """The local repeat-plan rate beside the entered benchmarks and the neighbours' average."""
    local = Decimal(str(figures["repeat_plans"]["rate"]))
    benchmarks = list(
        Benchmark.objects.filter(
            partnership=snapshot.partnership, measure=Benchmark.Measure.REPEAT_PLAN_RATE
        )
    )
    rows = [{"label": f"{snapshot.partnership.name} (this extract)", "value": local, "local": True}]
    rows += [
        {"label": b.label, "value": b.value, "kind": b.get_kind_display(), "period": b.period}
        for b in benchmarks
    ]
    neighbours = [b.value for b in benchmarks if b.kind == "neighbour"]
    if neighbours:
        average = (sum(neighbours) / len(neighbours)).quantize(Decimal("0.1"))
        rows.append({"label": "Statistical neighbours' average", "value": average})
    return rows


def latest_snapshot(partnership) -> PopulationSnapshot | None:
    return PopulationSnapshot.objects.filter(partnership=partnership).first()
