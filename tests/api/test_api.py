"""The token-authenticated API: tokens, authentication, the audits list, statistics (the same
dict as audit_statistics), access (404 beyond the person's reach) and the OpenAPI document."""

import json

import pytest
from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.models import Membership
from caseaudit.analysis.statistics import audit_statistics
from caseaudit.api.models import ApiToken
from caseaudit.api.openapi import openapi_document
from caseaudit.api.services import api_token_create, api_token_revoke
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world):
    return statistics_audit(world)


def token_for(world, name: str) -> str:
    return api_token_create(membership=world.memberships[name], name="Script")[1]


def get(path: str, token: str | None = None, **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().get(path, **headers)


# Authentication --------------------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(audit):
    response = get(f"/api/v1/audits/{audit.pk}/statistics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "unauthorised"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token ca_x", "ca_only"]
)
def test_a_malformed_header_is_401(audit, header):
    response = Client().get(f"/api/v1/audits/{audit.pk}/statistics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_an_unknown_token_is_401(audit):
    assert get(f"/api/v1/audits/{audit.pk}/statistics", "ca_not-a-real-token").status_code == 401


def test_a_revoked_token_is_refused(world, audit):
    token, secret = api_token_create(membership=world.memberships["lena"], name="Script")
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 200
    api_token_revoke(token=token)
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 401


def test_a_deactivated_membership_or_person_stops_the_token(world, audit):
    secret = token_for(world, "lena")
    Membership.objects.filter(pk=world.memberships["lena"].pk).update(is_active=False)
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 401
    Membership.objects.filter(pk=world.memberships["lena"].pk).update(is_active=True)
    world.lena.is_active = False
    world.lena.save()
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 401


def test_the_session_does_not_authenticate_the_api(world, audit):
    client = Client()
    client.force_login(world.lena)
    assert client.get(f"/api/v1/audits/{audit.pk}/statistics").status_code == 401


def test_only_the_hash_is_stored_and_use_is_noted(world, audit):
    token, secret = api_token_create(membership=world.memberships["lena"], name="Script")
    assert secret.startswith("ca_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in stored.token_hash
    assert stored.prefix == secret[:10]
    assert stored.last_used_at is None
    get("/api/v1/audits", secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


# Endpoints -------------------------------------------------------------------------------------


def test_statistics_are_exactly_audit_statistics(world, audit):
    response = get(f"/api/v1/audits/{audit.pk}/statistics", token_for(world, "lena"))
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(audit_statistics(audit)))
    assert response.json()["returns"] == 9


def test_the_case_breakdown_can_be_left_out(world, audit):
    secret = token_for(world, "lena")
    path = f"/api/v1/audits/{audit.pk}/statistics"
    without = get(f"{path}?by_case=false", secret)
    assert without.status_code == 200
    assert without.json() == json.loads(json.dumps(audit_statistics(audit, by_case=False)))
    assert all("by_case" not in question for question in without.json()["questions"])
    assert any("by_case" in question for question in get(path, secret).json()["questions"])
    assert get(f"{path}?by_case=true", secret).json() == get(path, secret).json()
    # The audit is looked up first: beyond the token's reach a bad value is still a 404.
    assert get(f"{path}?by_case=no", token_for(world, "sol")).status_code == 404
    for bad in ("no", "False", ""):
        response = get(f"{path}?by_case={bad}", secret)
        assert response.status_code == 400
        assert response.json() == {
            "error": "bad_request",
            "message": "by_case must be true or false",
        }


def test_another_partnerships_audit_is_404(world, audit):
    response = get(f"/api/v1/audits/{audit.pk}/statistics", token_for(world, "sol"))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert get("/api/v1/audits/99999/statistics", token_for(world, "lena")).status_code == 404


def test_an_agency_auditor_sees_statistics_only_once_released(world, audit):
    from django.utils import timezone

    secret = token_for(world, "chris")
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 404
    assert get("/api/v1/audits", secret).json() == {"audits": []}
    type(audit).objects.filter(pk=audit.pk).update(results_released_at=timezone.now())
    assert get(f"/api/v1/audits/{audit.pk}/statistics", secret).status_code == 200


def test_the_audit_list(world, audit):
    listed = get("/api/v1/audits", token_for(world, "bea")).json()
    assert listed == {
        "audits": [
            {
                "id": audit.pk,
                "title": audit.title,
                "status": audit.status,
                "planned_month": None,
                "returns": 9,
            }
        ]
    }
    assert get("/api/v1/audits", token_for(world, "sol")).json() == {"audits": []}


def test_the_api_takes_get_only(world, audit):
    response = Client().post(
        "/api/v1/audits", HTTP_AUTHORIZATION=f"Bearer {token_for(world, 'lena')}"
    )
    assert response.status_code == 405


# The OpenAPI document --------------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_public():
    from openapi_spec_validator import validate

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert set(document["paths"]) == {"/audits", "/audits/{id}/statistics", "/openapi.json"}


def test_responses_conform_to_the_documented_schemas(world, audit):
    import jsonschema

    document = openapi_document()
    schemas = document["components"]["schemas"]
    resolver_document = {"components": {"schemas": schemas}}

    def check(instance, name):
        schema = {**schemas[name], "components": resolver_document["components"]}
        jsonschema.Draft202012Validator(schema).validate(instance)

    secret = token_for(world, "lena")
    check(get(f"/api/v1/audits/{audit.pk}/statistics", secret).json(), "Statistics")
    check(get("/api/v1/audits", secret).json(), "AuditList")
    check(get("/api/v1/audits/99999/statistics", secret).json(), "Error")
    # Every field the issue names is in the schema.
    option = set(schemas["Option"]["properties"])
    assert option == {
        "key",
        "label",
        "meaning",
        "count",
        "percent",
        "percent_excluding_na",
        "ci_low",
        "ci_high",
        "ci_low_excluding_na",
        "ci_high_excluding_na",
    }
    assert {"key", "text", "type", "n", "n_excluding_na", "options", "by_agency"} <= set(
        schemas["Question"]["properties"]
    )


# Token pages -----------------------------------------------------------------------------------


def signed_in(world, name):
    client = Client()
    client.force_login(world.users[name])
    return client


def test_making_a_token_shows_it_once_and_logs_it(world):
    client = signed_in(world, "chris")
    response = client.post("/account/api-tokens/", {"name": "Monthly spreadsheet"})
    assert response.status_code == 200
    token = ApiToken.objects.get(membership=world.memberships["chris"])
    page = response.content.decode()
    assert "Copy this token now" in page
    assert token.prefix in page
    assert AccessEvent.objects.filter(action=Action.API_TOKEN_CREATED, user=world.chris).exists()
    # Shown once: the list page has the prefix but not the secret field.
    again = client.get("/account/api-tokens/").content.decode()
    assert "Copy this token now" not in again
    assert "Monthly spreadsheet" in again


def test_a_token_needs_a_name(world):
    response = signed_in(world, "chris").post("/account/api-tokens/", {"name": "  "})
    assert "Enter what you will use this token for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token(world):
    token, secret = api_token_create(membership=world.memberships["chris"], name="Script")
    client = signed_in(world, "chris")
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AccessEvent.objects.filter(action=Action.API_TOKEN_REVOKED).count() == 1
    assert get("/api/v1/audits", secret).status_code == 401
    assert client.get(f"/account/api-tokens/{token.pk}/revoke/").status_code == 405


def test_another_persons_token_is_404(world):
    token, _ = api_token_create(membership=world.memberships["chris"], name="Chris spreadsheet")
    assert (
        signed_in(world, "hana").post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    )
    assert (
        "Chris spreadsheet"
        not in signed_in(world, "hana").get("/account/api-tokens/").content.decode()
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_anonymous_people_are_sent_to_sign_in():
    assert Client().get("/account/api-tokens/").status_code == 302
