from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.forms import GovukForm
from caseaudit.notifications import services
from caseaudit.notifications.models import NotificationPreference


class PreferenceForm(GovukForm):
    delivery = forms.ChoiceField(
        label="How do you want to get notification emails?",
        choices=[
            ("immediate", "One email for each notification, as it happens"),
            ("digest", "One email a day listing them"),
        ],
        widget=forms.RadioSelect,
        help_text="A category 1 Case of Concern is always emailed at once.",
    )
    required_messages = {"delivery": "Select how you want to get notification emails"}


@require_GET
@access.membership_required()
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = access.notifications_for_user(request.membership)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@access.membership_required()
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = access.get_notification_for_user(request.membership, pk)
    services.notifications_mark_read(
        user=request.user, partnership=request.membership.partnership, pk=notification.pk
    )
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    return redirect("notifications")


@require_POST
@access.membership_required()
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(
        user=request.user, partnership=request.membership.partnership
    )
    messages.success(request, f"{count} notification(s) marked as read")
    return redirect("notifications")


@require_http_methods(["GET", "POST"])
@access.membership_required()
def notification_preferences(request: HttpRequest) -> HttpResponse:
    current = NotificationPreference.objects.filter(user=request.user, daily_digest=True).exists()
    form = PreferenceForm(
        request.POST or None, initial={"delivery": "digest" if current else "immediate"}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            user=request.user, daily_digest=form.cleaned_data["delivery"] == "digest"
        )
        messages.success(request, "Your email choice has been saved")
        return redirect("notifications")
    return render(request, "notifications/preferences.html", {"form": form})
