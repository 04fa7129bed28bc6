"""The comments page of an audit (filter, see and confirm themes) and the theme list."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.themes.selectors import theme_counts
from caseaudit.themes.services import (
    comment_text,
    comment_themes_confirm,
    comments_of_audit,
    theme_create,
    theme_update,
    themes_suggest_for_audit,
)

FILTERS = ("question", "agency", "case", "option", "theme")


@require_GET
@access.membership_required()
def audit_comments(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_results_for_user(request.membership, pk)
    # Suggestions are made here, the first time each comment is shown (see docs/themes.md).
    themes_suggest_for_audit(audit=audit)
    all_comments = comments_of_audit(audit).prefetch_related("comment_themes__theme")
    chosen = {name: request.GET.get(name, "") for name in FILTERS}
    comments = all_comments
    if chosen["question"]:
        comments = comments.filter(question__key=chosen["question"])
    if chosen["agency"]:
        comments = comments.filter(
            request__agency_id=chosen["agency"] if chosen["agency"].isdigit() else 0
        )
    if chosen["case"]:
        comments = comments.filter(request__sampled_case__pseudonym=chosen["case"])
    if chosen["option"]:
        comments = comments.filter(option__key=chosen["option"])
    if chosen["theme"]:
        comments = comments.filter(comment_themes__theme__key=chosen["theme"]).distinct()
    rows = [
        {
            "answer": answer,
            "text": comment_text(answer),
            "suggested": [t.theme for t in answer.comment_themes.all() if t.suggested],
            "confirmed": [t.theme for t in answer.comment_themes.all() if t.confirmed],
        }
        for answer in comments.order_by("question__section__order", "question__order", "id")
    ]
    every = list(all_comments)
    return render(
        request,
        "themes/comments.html",
        {
            "audit": audit,
            "rows": rows,
            "chosen": chosen,
            "questions": sorted({(a.question.key, a.question.text) for a in every}),
            "agencies": sorted({(str(a.request.agency_id), a.request.agency.name) for a in every}),
            "cases": sorted({a.request.sampled_case.pseudonym for a in every}),
            "options": sorted({(a.option.key, a.option.label) for a in every if a.option}),
            "themes": list(audit.partnership.themes.filter(archived=False)),
            "counts": theme_counts(audit),
            "can_manage": request.membership.can(Permission.MANAGE_RESULTS),
        },
    )


@require_POST
@access.membership_required(Permission.MANAGE_RESULTS)
def audit_comment_themes(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    audit = access.get_audit_results_for_user(request.membership, pk)
    answer = comments_of_audit(audit).filter(pk=answer_pk).first()
    if answer is None:
        raise Http404
    keys = request.POST.getlist("themes")
    themes = list(audit.partnership.themes.filter(key__in=keys, archived=False))
    comment_themes_confirm(answer=answer, themes=themes, user=request.user)
    access_event_record(
        action=Action.THEMES_CONFIRMED,
        request=request,
        obj=answer,
        object_label=f"{audit}: {answer.request.sampled_case.pseudonym}, {answer.question.key}",
        detail="Themes: " + (", ".join(sorted(t.key for t in themes)) or "none"),
    )
    messages.success(request, "Themes confirmed for the comment")
    return redirect(f"/audits/{audit.pk}/comments/#comment-{answer.pk}")


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_RESULTS)
def theme_list(request: HttpRequest) -> HttpResponse:
    partnership = request.membership.partnership
    errors: dict[str, str] = {}
    typed = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            typed = request.POST.get("name", "")
            errors = theme_create(partnership=partnership, name=typed)
            if not errors:
                access_event_record(
                    action=Action.THEME_LIST_CHANGED,
                    request=request,
                    detail=f"Added {typed.strip()}",
                )
                messages.success(request, "Theme added")
                return redirect("theme_list")
        else:
            theme = partnership.themes.filter(pk=request.POST.get("theme") or 0).first()
            if theme is None:
                raise Http404
            errors = theme_update(theme=theme, action=action, name=request.POST.get("name", ""))
            if not errors:
                access_event_record(
                    action=Action.THEME_LIST_CHANGED,
                    request=request,
                    obj=theme,
                    detail=f"{action.title()} {theme.key}"
                    + (f" to {theme.name}" if action == "rename" else ""),
                )
                messages.success(request, "Theme updated")
                return redirect("theme_list")
    return render(
        request,
        "themes/theme_list.html",
        {"themes": partnership.themes.order_by("order", "id"), "errors": errors, "typed": typed},
        status=400 if errors else 200,
    )
