"""The findings editor of an audit: findings next to the evidence, with quotes pulled in from
auditors' comments, and the recommendations, learning themes, points, vignettes and narrative
texts the publications are made from. Only people who draft findings (WRITE_FINDINGS) use it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action as LogAction
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.actions import services as action_services
from caseaudit.actions.forms import LinkActionForm
from caseaudit.actions.models import Action
from caseaudit.actions.selectors import action_counts_by_source
from caseaudit.analysis.statistics import audit_questions, audit_statistics
from caseaudit.findings import forms, services
from caseaudit.findings.models import (
    Finding,
    FindingQuote,
    LearningTheme,
    PointKind,
    Recommendation,
    ReportPoint,
    Vignette,
)
from caseaudit.forms import apply_errors
from caseaudit.themes.services import comment_text, comments_of_audit


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    form: type
    singular: str
    fields: tuple[str, ...]

    def initial(self, item) -> dict:
        values = {}
        for name in self.fields:
            value = getattr(item, name)
            if name == "links":
                value = forms.LearningThemeForm.initial_links(value)
            elif hasattr(value, "pk"):
                value = value.pk
            values[name] = value
        return values


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "finding",
            Finding,
            forms.FindingForm,
            "finding",
            ("text", "challenge_for", "challenge", "question_keys"),
        ),
        Kind(
            "recommendation",
            Recommendation,
            forms.RecommendationForm,
            "recommendation",
            ("text", "lead", "finding"),
        ),
        Kind(
            "learning-theme",
            LearningTheme,
            forms.LearningThemeForm,
            "learning theme",
            ("title", "what_we_found", "what_needs_to_happen", "practice_theme", "links"),
        ),
        Kind("point", ReportPoint, forms.PointForm, "point", ("kind", "text")),
        Kind("vignette", Vignette, forms.VignetteForm, "vignette", ("kind", "title", "text")),
    )
}


def _audit(request: HttpRequest, pk: int):
    return access.get_audit_results_for_user(request.membership, pk)


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("Page not found")
    return kind


def _item(kind: Kind, audit, item_pk: int):
    return get_object_or_404(kind.model, audit=audit, pk=item_pk)


def _overview_url(audit, anchor: str = "") -> str:
    return f"/audits/{audit.pk}/findings/" + (f"#{anchor}" if anchor else "")


def _evidence(audit) -> list[dict]:
    """Each question with its n and its options' percentages, for the column beside the text."""
    rows = []
    for question in audit_statistics(audit, by_case=False)["questions"]:
        rows.append(
            {
                "key": question["key"],
                "text": question["text"],
                "n": question["n"],
                "small_n": question["small_n"],
                "options": [o for o in question["options"] if o["count"]],
            }
        )
    return rows


@require_GET
@access.membership_required(Permission.WRITE_FINDINGS)
def findings_overview(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    points = list(audit.points.all())
    report_text = services.report_text_for(audit)
    recommendations = list(audit.recommendations.select_related("finding"))
    counts = action_counts_by_source(recommendations, timezone.localdate())
    for recommendation in recommendations:
        recommendation.action_counts = counts[recommendation.pk]
    return render(
        request,
        "findings/overview.html",
        {
            "audit": audit,
            "may_manage_actions": request.membership.can(Permission.MANAGE_ACTIONS),
            "findings": audit.findings.prefetch_related(
                Prefetch("quotes", queryset=FindingQuote.objects.order_by("added_at", "id"))
            ),
            "recommendations": recommendations,
            "learning_themes": audit.learning_themes.select_related("practice_theme"),
            "point_groups": [(kind, [p for p in points if p.kind == kind]) for kind in PointKind],
            "vignettes": audit.vignettes.all(),
            "texts": [
                (field.label, getattr(report_text, name))
                for name, field in forms.ReportTextForm.base_fields.items()
            ],
            "evidence": _evidence(audit),
        },
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.WRITE_FINDINGS)
def item_edit(request: HttpRequest, pk: int, kind: str, item_pk: int | None = None):
    audit = _audit(request, pk)
    kind = _kind(kind)
    item = _item(kind, audit, item_pk) if item_pk else None
    options = {"audit": audit, "questions": audit_questions(audit)}
    if request.method == "POST":
        form = kind.form(request.POST, **options)
    else:
        initial = kind.initial(item) if item else {}
        if not item and kind.slug == "point" and request.GET.get("kind") in PointKind.values:
            initial["kind"] = request.GET["kind"]
        form = kind.form(initial=initial, **options)
    if request.method == "POST" and form.is_valid():
        saved = services.item_save(
            audit=audit, model=kind.model, fields=form.cleaned_data, user=request.user, item=item
        )
        messages.success(request, f"{kind.singular.capitalize()} {saved.number} saved")
        if kind.slug == "finding" and item is None:
            return redirect("findings_item_edit", pk=audit.pk, kind="finding", item_pk=saved.pk)
        return redirect(_overview_url(audit, f"{kind.slug}-{saved.pk}"))
    context = {"audit": audit, "kind": kind, "item": item, "form": form}
    if kind.slug == "finding" and item is not None:
        context |= _finding_evidence(request, audit, item)
    return render(request, "findings/item_form.html", context, status=400 if form.errors else 200)


def _finding_evidence(request: HttpRequest, audit, finding: Finding) -> dict:
    """The comments beside a finding, filtered by question, each with a button to quote it."""
    question = request.GET.get("question", "")
    comments = comments_of_audit(audit).order_by(
        "question__section__order", "question__order", "request__sampled_case__order", "id"
    )
    if question:
        comments = comments.filter(question__key=question)
    quoted = set(finding.quotes.values_list("request_id", "question_id"))
    evidence = {row["key"]: row for row in _evidence(audit)}
    return {
        "quotes": finding.quotes.all(),
        "comments": [
            {
                "pk": answer.pk,
                "text": comment_text(answer),
                "question": answer.question,
                "agency": answer.request.agency.name,
                "case": answer.request.sampled_case.pseudonym,
                "option": answer.option.label if answer.option else "",
                "quoted": (answer.request_id, answer.question_id) in quoted,
            }
            for answer in comments
        ],
        "question_filter": question,
        "questions": audit_questions(audit),
        "linked_evidence": [evidence[key] for key in finding.question_keys if key in evidence],
    }


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.WRITE_FINDINGS)
def item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    kind = _kind(kind)
    item = _item(kind, audit, item_pk)
    if request.method == "POST":
        label = f"{kind.singular.capitalize()} {item.number}"
        services.item_delete(item=item)
        messages.success(request, f"{label} deleted")
        return redirect(_overview_url(audit))
    summary = getattr(item, "text", "") or getattr(item, "title", "")
    linked = 0
    if isinstance(item, Recommendation):
        linked = action_services.actions_for_source(Action.objects.all(), item).count()
    return render(
        request,
        "findings/item_delete.html",
        {"audit": audit, "kind": kind, "item": item, "summary": summary, "linked_actions": linked},
    )


@require_POST
@access.membership_required(Permission.WRITE_FINDINGS)
def item_move(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    kind = _kind(kind)
    item = _item(kind, audit, item_pk)
    try:
        services.item_move(item=item, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(_overview_url(audit, f"{kind.slug}-{item.pk}"))


@require_POST
@access.membership_required(Permission.WRITE_FINDINGS)
def quote_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    finding = _item(KINDS["finding"], audit, item_pk)
    try:
        answer_pk = int(request.POST.get("answer", ""))
        services.quote_add(finding=finding, answer_pk=answer_pk, user=request.user)
    except (ValueError, ValidationError):
        return HttpResponse(
            "That comment is not one of this audit's submitted comments.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    messages.success(request, f"Comment quoted under finding {finding.number}")
    back = request.POST.get("question", "")
    url = f"/audits/{audit.pk}/findings/finding/{finding.pk}/"
    return redirect(url + (f"?{urlencode({'question': back})}" if back else "") + "#quotes")


@require_POST
@access.membership_required(Permission.WRITE_FINDINGS)
def quote_remove(request: HttpRequest, pk: int, item_pk: int, quote_pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    finding = _item(KINDS["finding"], audit, item_pk)
    quote = get_object_or_404(FindingQuote, finding=finding, pk=quote_pk)
    services.quote_remove(quote=quote)
    messages.success(request, "Quote removed")
    return redirect(f"/audits/{audit.pk}/findings/finding/{finding.pk}/#quotes")


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.WRITE_FINDINGS)
def report_text_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    text = services.report_text_for(audit)
    if request.method == "POST":
        form = forms.ReportTextForm(request.POST, audit=audit)
        if form.is_valid():
            services.report_text_save(audit=audit, fields=form.cleaned_data, user=request.user)
            messages.success(request, "Texts saved")
            return redirect(_overview_url(audit, "texts"))
    else:
        initial = {name: getattr(text, name) for name in forms.ReportTextForm.base_fields}
        form = forms.ReportTextForm(initial=initial, audit=audit)
    return render(
        request,
        "findings/report_text.html",
        {"audit": audit, "form": form},
        status=400 if form.errors else 200,
    )


def _recommendation(request: HttpRequest, pk: int, item_pk: int):
    recommendation = access.get_recommendation_for_actions(request.membership, item_pk)
    if recommendation.audit_id != pk:
        raise Http404("Page not found")
    return recommendation


def _record(request: HttpRequest, log_action: str, action, recommendation) -> None:
    access_event_record(
        action=log_action,
        request=request,
        obj=action,
        object_label=f"Recommendation {recommendation.number}",
        detail=f"{recommendation.audit.title}: recommendation {recommendation.number}",
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_ACTIONS)
def recommendation_actions(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The actions that answer one recommendation: add a new one, link an open one that
    answers nothing else yet, unlink one."""
    member = request.membership
    recommendation = _recommendation(request, pk, item_pk)
    actions = access.actions_for_user(member)
    actions = actions.select_related("owner__user", "sampled_case")
    linkable = action_services.actions_linkable_to(actions, recommendation).order_by(
        "due_date", "pk"
    )
    form = LinkActionForm(request.POST if request.method == "POST" else None, actions=linkable)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            action_services.action_link_source(
                action=action, source=recommendation, user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _record(request, LogAction.ACTION_LINKED, action, recommendation)
            messages.success(request, f"Action linked to recommendation {recommendation.number}")
            return redirect(
                "findings_recommendation_actions", recommendation.audit_id, recommendation.pk
            )
    linked = action_services.actions_for_source(actions, recommendation).order_by("due_date", "pk")
    return render(
        request,
        "findings/recommendation_actions.html",
        {
            "audit": recommendation.audit,
            "recommendation": recommendation,
            "linked": linked,
            "form": form,
            "has_linkable": linkable.exists(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@access.membership_required(Permission.MANAGE_ACTIONS)
def recommendation_action_unlink(
    request: HttpRequest, pk: int, item_pk: int, action_pk: int
) -> HttpResponse:
    recommendation = _recommendation(request, pk, item_pk)
    actions = action_services.actions_for_source(
        access.actions_for_user(request.membership), recommendation
    )
    action = get_object_or_404(actions, pk=action_pk)
    action_services.action_unlink_source(action=action, user=request.user)
    _record(request, LogAction.ACTION_UNLINKED, action, recommendation)
    messages.success(
        request,
        f"Action unlinked from recommendation {recommendation.number}. The action itself is "
        "unchanged",
    )
    return redirect("findings_recommendation_actions", recommendation.audit_id, recommendation.pk)
