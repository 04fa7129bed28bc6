from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from caseaudit import access
from caseaudit.accounts.forms import AccessLogFilterForm
from caseaudit.accounts.roles import Permission

PAGE_SIZE = 50


@require_GET
@access.membership_required(Permission.VIEW_ACCESS_LOG)
def access_log(request: HttpRequest) -> HttpResponse:
    events = access.access_events_for_user(request.membership, Permission.VIEW_ACCESS_LOG)
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["person"]:
            events = events.filter(actor__icontains=data["person"])
        # Dates are London days; the log stores UTC.
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(
                occurred_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone)
            )
        if data["date_to"]:
            events = events.filter(
                occurred_at__lte=datetime.combine(data["date_to"], time.max, tzinfo=zone)
            )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accesslog/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
