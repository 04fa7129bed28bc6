"""Pages where a person makes and revokes their own API tokens."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from caseaudit import access
from caseaudit.api.services import api_token_create, api_token_revoke
from caseaudit.forms import GovukForm


class TokenForm(GovukForm):
    name = forms.CharField(
        label="What will you use this token for?",
        max_length=100,
        help_text="For example, 'Monthly figures spreadsheet'. Only you see this.",
    )
    required_messages = {"name": "Enter what you will use this token for"}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter what you will use this token for")
        return name


@require_http_methods(["GET", "POST"])
@access.membership_required()
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _, new_secret = api_token_create(
            membership=request.membership, name=form.cleaned_data["name"], request=request
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_secret": new_secret,
            "tokens": access.api_tokens_for_user(request.membership),
        },
        status=200,
    )


@require_POST
@access.membership_required()
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.get_api_token_for_user(request.membership, pk)
    api_token_revoke(token=token, request=request)
    messages.success(request, f"Token '{token.name}' revoked: it no longer works")
    return redirect("api_tokens")
