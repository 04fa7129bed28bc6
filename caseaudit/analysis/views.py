"""An audit's collated results: the statistics page, the dashboard and the release to agencies."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.analysis import dashboard, summary, trends
from caseaudit.analysis.charts import percent_chart, question_chart
from caseaudit.analysis.statistics import audit_statistics
from caseaudit.audits.models import Audit, SampledCase
from caseaudit.moderation import selectors as moderation_selectors
from caseaudit.moderation.charts import grades_by_month_chart
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import tracker_counts
from caseaudit.themes.selectors import theme_counts, theme_counts_by_audit

# The page shows a table for each child up to this many children in the sample (real audits
# draw 6 to 25). Past it the tables would run to thousands of rows a question and take seconds
# to build; the API's `by_case` and `caseaudit statistics` still give every child's figures.
CASE_TABLES_LIMIT = 100


@require_GET
@access.membership_required()
def audit_statistics_page(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_results_for_user(request.membership, pk)
    children = SampledCase.objects.filter(sample__audit=audit, removed_at__isnull=True).count()
    by_case = children <= CASE_TABLES_LIMIT
    statistics = audit_statistics(audit, by_case=by_case)
    questions = []
    for question in statistics["questions"]:
        chart = question_chart(question)
        questions.append({**question, "chart": chart.svg() if chart else None})
    agencies = sorted({name for q in statistics["questions"] for name in q["by_agency"]})
    return render(
        request,
        "analysis/statistics.html",
        {
            "audit": audit,
            "statistics": statistics,
            "questions": questions,
            "agencies": agencies,
            "by_case": by_case,
            "children": children,
            "can_release": request.membership.can(Permission.MANAGE_RESULTS),
        },
    )


@require_POST
@access.membership_required(Permission.MANAGE_RESULTS)
def audit_results_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Lets the audit's agency auditors see the collated results (or, with withdraw, stops)."""
    audit = access.get_audit_results_for_user(request.membership, pk)
    with transaction.atomic():
        if request.POST.get("action") == "withdraw":
            Audit.objects.filter(pk=audit.pk).update(
                results_released_at=None, results_released_by=None
            )
            access_event_record(action=Action.RESULTS_WITHDRAWN, request=request, obj=audit)
            messages.success(request, "Agency auditors can no longer see the collated results")
        else:
            Audit.objects.filter(pk=audit.pk).update(
                results_released_at=timezone.now(), results_released_by=request.user
            )
            access_event_record(action=Action.RESULTS_RELEASED, request=request, obj=audit)
            messages.success(request, "Agency auditors can now see the collated results")
    return redirect("audit_statistics", pk=audit.pk)


@require_GET
@access.membership_required()
def audit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_results_for_user(request.membership, pk)
    statistics = audit_statistics(audit, by_case=False)
    grades = []
    for question in dashboard.grade_questions(statistics):
        chart = question_chart(question)
        grades.append({**question, "chart": chart.svg() if chart else None})
    return render(
        request,
        "analysis/dashboard.html",
        {
            "audit": audit,
            "statistics": statistics,
            "counts": tracker_counts(AuditRequest.objects.filter(audit=audit)),
            "headlines": dashboard.headline_figures(statistics),
            "worst": dashboard.most_negative(statistics),
            "grades": grades,
            "themes": [t for t in theme_counts(audit) if t["confirmed"] or t["suggested"]],
        },
    )


def theme_recurrence(partnership) -> dict:
    """Theme counts across audits as a table: {"audits": [(id, title)], "rows": [{"theme",
    "counts": [confirmed + suggested per audit], "audits_with": how many audits}]}."""
    audits: dict[int, str] = {}
    by_theme: dict[str, dict[int, int]] = {}
    for row in theme_counts_by_audit(partnership):
        audits.setdefault(row["audit_id"], row["audit"])
        by_theme.setdefault(row["theme"], {})[row["audit_id"]] = row["confirmed"] + row["suggested"]
    return {
        "audits": list(audits.items()),
        "rows": [
            {
                "theme": theme,
                "counts": [counts.get(pk, 0) for pk in audits],
                "audits_with": len(counts),
            }
            for theme, counts in by_theme.items()
        ],
    }


def _label(point: dict) -> str:
    month = f" ({point['month']:%b %Y})" if point.get("month") else ""
    return f"{point['title']}{month}"


def partnership_trend_figures(partnership) -> dict:
    """Everything the trends page shows, computed: the page renders this (and bench/ times it)."""
    # One query brings the per-audit counts up to date and gives the response rates.
    sent_returned = summary.refresh(partnership)
    rates = trends.response_rates(partnership, rates=sent_returned)
    questions = trends.question_trends(partnership, refreshed=True)
    moderated = moderation_selectors.moderated_grades_by_month(partnership)
    for question in questions:
        question["chart"] = percent_chart(
            chart_id=f"trend-{question['key']}",
            title=f"{question['text']}: positive answers by audit (%)",
            points=[(_label(p), p["percent"]) for p in question["audits"]],
        ).svg()
    return {
        "rates": rates,
        "rates_chart": percent_chart(
            chart_id="trend-response-rates",
            title="Returns received as a share of requests sent, by audit (%)",
            points=[(_label(r), r["percent"]) for r in rates],
        ).svg()
        if rates
        else None,
        "grades": trends.grades_by_month(partnership, refreshed=True),
        "moderated_grades": moderated,
        "moderated_grades_chart": grades_by_month_chart(moderated) if moderated["months"] else None,
        "agreement_over_time": moderation_selectors.agreement_by_audit(partnership),
        "engagement_by_month": moderation_selectors.engagement_by_month(partnership),
        "questions": questions,
        "theme_recurrence": theme_recurrence(partnership),
    }


@require_GET
@access.membership_required(Permission.VIEW_RESULTS)
def partnership_trends(request: HttpRequest) -> HttpResponse:
    """Trends across the partnership's audits (not for agency auditors: they see one audit's
    results at a time, once released)."""
    return render(
        request,
        "analysis/trends.html",
        partnership_trend_figures(request.membership.partnership),
    )
