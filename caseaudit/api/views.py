"""The REST API: token-authenticated JSON over the same access helpers as the pages.

Only `Authorization: Bearer <token>` authenticates; session cookies are ignored, so a page's
cookies can never drive the API and CSRF does not arise (every endpoint is a GET)."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from caseaudit import access
from caseaudit.analysis.statistics import audit_statistics, submitted_requests
from caseaudit.api.openapi import openapi_document
from caseaudit.api.services import membership_for_token

# The values a true-or-false query parameter takes.
BOOLEANS = {"true": True, "false": False}


def _json(data, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _unauthorised(message: str) -> JsonResponse:
    return _json(
        {"error": "unauthorised", "message": message},
        status=401,
        WWW_Authenticate='Bearer realm="caseaudit"',
    )


def token_required(view: Callable) -> Callable:
    """Resolves the bearer token to its membership (request.api_membership); 401 without a
    working token, 404 JSON for anything the person may not see."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return _unauthorised("Send your API token as 'Authorization: Bearer <token>'")
        membership = membership_for_token(secret.strip())
        if membership is None:
            return _unauthorised("This API token is not valid: it may have been revoked")
        request.api_membership = membership
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _json({"error": "not_found", "message": "Not found"}, status=404)

    return wrapper


@require_GET
@token_required
def audits(request: HttpRequest) -> JsonResponse:
    found = access.audits_with_results_for_user(request.api_membership).order_by(
        "planned_month", "pk"
    )
    return _json(
        {
            "audits": [
                {
                    "id": audit.pk,
                    "title": audit.title,
                    "status": audit.status,
                    "planned_month": audit.planned_month.isoformat()
                    if audit.planned_month
                    else None,
                    "returns": submitted_requests(audit).count(),
                }
                for audit in found
            ]
        }
    )


@require_GET
@token_required
def audit_statistics_view(request: HttpRequest, pk: int) -> JsonResponse:
    """`?by_case=false` leaves out each question's `by_case` (as `caseaudit statistics
    --no-by-case` does): for an audit of thousands of children it is most of the answer."""
    audit = access.get_audit_results_for_user(request.api_membership, pk)
    by_case = request.GET.get("by_case", "true")
    if by_case not in BOOLEANS:
        return _json(
            {"error": "bad_request", "message": "by_case must be true or false"}, status=400
        )
    return _json(audit_statistics(audit, by_case=BOOLEANS[by_case]))


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return _json(openapi_document())
