"""Every URL pattern, every persona and the anonymous visitor, with the status each must get.

This test fails when a URL pattern exists that MATRIX does not name: a new page is not finished
until it says here who may reach it. Objects in the URLs belong to North, so South's admin (sol)
must get 404 for them, and so must North people whose role does not reach them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caseaudit.accounts.models import Invitation, hash_token
from caseaudit.accounts.roles import Role
from caseaudit.population.models import Benchmark, PopulationSnapshot
from tests.conftest import PERSONAS, World

ANONYMOUS = "anonymous"
NORTH = [name for name, (place, _, _) in PERSONAS.items() if place == "north"]
EVERYONE = [ANONYMOUS, *PERSONAS]
INVITE_TOKEN = "matrix-invitation-token"


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {ANONYMOUS: anonymous, **dict.fromkeys(PERSONAS, status)}


def north_admin_only(alice: int, sol: int = 404) -> dict[str, int]:
    """Partnership-admin pages about North objects: alice only; sol (South's admin) gets 404
    because the object is not in his partnership; other roles get 404 because they cannot
    manage people."""
    return {ANONYMOUS: 302, **dict.fromkeys(PERSONAS, 404), "alice": alice, "sol": sol}


def invitation(world: World) -> dict:
    invite = Invitation.objects.create(
        partnership=world.north,
        email="newcomer@north.example",
        role=Role.MODERATOR,
        token_hash=hash_token(INVITE_TOKEN),
        invited_by=world.alice,
    )
    return {"pk": invite.pk}


def population_lead(status: int, sol: int = 404) -> dict[str, int]:
    """Population pages: North's audit lead and partnership admin; sol for South's own."""
    return {
        ANONYMOUS: 302,
        **dict.fromkeys(PERSONAS, 404),
        "alice": status,
        "lena": status,
        "sol": sol,
    }


def snapshot(world: World) -> dict:
    created = PopulationSnapshot.objects.create(
        partnership=world.north,
        as_of="2026-01-01",
        file_name="north.csv",
        file_hash="0" * 64,
        file_format="csv",
        row_count=0,
    )
    return {"pk": created.pk}


def benchmark(world: World) -> dict:
    created = Benchmark.objects.create(
        partnership=world.north,
        measure="repeat_plan_rate",
        kind="national",
        label="England",
        value=23,
    )
    return {"pk": created.pk}


def north_audit(world: World) -> dict:
    """An audit of North that children's social care (chris) is involved in, health (hana) not."""
    from caseaudit.audits.services import audit_create

    return {"pk": audit_create(partnership=world.north, title="Neglect", agencies=[world.csc]).pk}


def sampled_child(world: World) -> dict:
    """North's audit with an unlocked sample of one child."""
    from caseaudit.audits.models import Audit, Sample, SampledCase
    from caseaudit.population.services import population_import

    audit = Audit.objects.get(pk=north_audit(world)["pk"])
    imported = population_import(
        partnership=world.north,
        content=b"child_id,plan_category,name\nM1,neglect,Matrix Child\n",
        file_name="matrix.csv",
    )
    sample = Sample.objects.create(audit=audit, snapshot=imported, size=1, seed=1)
    child = SampledCase.objects.create(
        sample=sample, case=imported.cases.get(), order=1, pseudonym="Child A"
    )
    return {"pk": audit.pk, "case_pk": child.pk}


def north_request(world: World) -> dict:
    """A request sent to children's social care (chris) about a child in North's audit, with a
    one-question template; health (hana) is not asked."""
    from caseaudit.audits.models import Audit
    from caseaudit.questionnaires.services import template_create
    from caseaudit.returns.models import AuditRequest
    from caseaudit.returns.services import requests_create, requests_send

    details = sampled_child(world)
    audit = Audit.objects.get(pk=details["pk"])
    _, version = template_create(
        partnership=world.north,
        spec={
            "name": "Matrix template",
            "sections": [
                {
                    "title": "Work",
                    "questions": [{"key": "seen", "text": "Seen?", "type": "yes_no_na"}],
                }
            ],
        },
    )
    audit.template_version = version
    audit.save()
    audit.sample.locked_at = audit.sample.drawn_at
    audit.sample.save()
    case = audit.sample.cases.get().case
    case.agencies = ["CSC"]
    case.save()
    requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 1, 1))
    request = AuditRequest.objects.get(audit=audit)
    request.assignee = world.chris
    request.save()
    requests_send(audit=audit, user=world.lena)
    return {"pk": request.pk}


def north_request_agency_lead(world: World) -> dict:
    """North's request, with chris made the agency lead of children's social care."""
    world.memberships["chris"].is_agency_lead = True
    world.memberships["chris"].save()
    return north_request(world)


def returns_auditor(status: int, **others: int) -> dict[str, int]:
    """Return-form pages: chris (children's social care, the agency asked) only."""
    return {ANONYMOUS: 302, **dict.fromkeys(PERSONAS, 404), "chris": status, **others}


def results_viewers(status: int) -> dict[str, int]:
    """An audit's collated results: everyone in North who may see results (admin, lead,
    moderator, senior manager, board viewer); agency auditors only once released (this audit's
    are not); South's admin gets 404."""
    return {
        ANONYMOUS: 302,
        **dict.fromkeys(PERSONAS, 404),
        **dict.fromkeys(["alice", "lena", "morgan", "sam", "bea"], status),
    }


def case_discussion_readers(status: int) -> dict[str, int]:
    """Case-level meeting notes, grade rationales and engagement feedback: North's admin, lead,
    moderator and senior manager; never agency auditors or board viewers (figures only)."""
    return {
        ANONYMOUS: 302,
        **dict.fromkeys(PERSONAS, 404),
        **dict.fromkeys(["alice", "lena", "morgan", "sam"], status),
    }


def north_template(part: str = "version") -> Callable[[World], dict]:
    """URL kwargs of North's draft template: the template, its version 1, its section or its
    second question (a yes / no / n.a. question after another)."""

    def kwargs(world: World) -> dict:
        from caseaudit.questionnaires.services import template_create

        template, version = template_create(
            partnership=world.north,
            spec={
                "name": "Matrix builder",
                "sections": [
                    {
                        "title": "Work",
                        "questions": [
                            {"key": "seen", "text": "Seen?", "type": "yes_no_na"},
                            {"key": "plan", "text": "Plan?", "type": "yes_no_na"},
                        ],
                    }
                ],
            },
        )
        if part == "template":
            return {"pk": template.pk}
        found = {"pk": template.pk, "number": version.number}
        if part == "section":
            found["section_pk"] = version.sections.get().pk
        if part == "question":
            found["question_pk"] = version.questions.get(key="plan").pk
        return found

    return kwargs


def north_finding(world: World) -> dict:
    """North's audit with one finding that quotes one comment."""
    from caseaudit.audits.models import Audit
    from caseaudit.findings.models import Finding, FindingQuote

    audit = Audit.objects.get(pk=north_audit(world)["pk"])
    finding = Finding.objects.create(audit=audit, number=1, text="Plans were not SMART.")
    quote = FindingQuote.objects.create(
        finding=finding, text="No plan.", attribution="CSC, Child 1"
    )
    return {"pk": audit.pk, "item_pk": finding.pk, "quote_pk": quote.pk}


def finding_url(*keys: str, **extra: str) -> Callable[[World], dict]:
    def kwargs(world: World) -> dict:
        made = north_finding(world)
        return {"pk": made["pk"], **{key: made[key] for key in keys}, **extra}

    return kwargs


def north_recommendation(world: World) -> dict:
    """North's audit with one recommendation answered by one open action."""
    from caseaudit.actions.services import action_create
    from caseaudit.audits.models import Audit
    from caseaudit.findings.models import Recommendation

    audit = Audit.objects.get(pk=north_audit(world)["pk"])
    recommendation = Recommendation.objects.create(audit=audit, number=1, text="Train on GCP2.")
    action = action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["sam"],
        what="GCP2 training for every team",
        due_date=datetime.date(2099, 1, 1),
        success_measure="Matrix measure",
        source=recommendation,
    )
    return {"pk": audit.pk, "item_pk": recommendation.pk, "action_pk": action.pk}


def finding_writers(status: int) -> dict[str, int]:
    """The findings editor: North's partnership admin and audit lead only."""
    return {ANONYMOUS: 302, **dict.fromkeys(PERSONAS, 404), "alice": status, "lena": status}


# Publications -----------------------------------------------------------------------------------


def north_publication(world: World) -> dict:
    """North's audit with a ready version 1 of its full report (HTML only)."""
    from caseaudit.audits.models import Audit
    from caseaudit.documents.model import Document, Paragraph, Section
    from caseaudit.publications.publishing import publication_publish

    audit = Audit.objects.get(pk=north_audit(world)["pk"])
    publication = publication_publish(
        audit=audit,
        product="full-report",
        user=world.lena,
        formats=("html",),
        document=Document(title="Matrix", sections=(Section("S", (Paragraph.of("Text."),)),)),
    )
    return {"pk": audit.pk, "version_pk": publication.pk}


def publication_readers(status: int) -> dict[str, int]:
    """Ready versions: everyone in North who holds VIEW_PUBLICATIONS (admin, lead, moderator,
    senior manager, board viewer); agency auditors once the results are released (these are
    not); South's admin gets 404."""
    return results_viewers(status)


# Cases of Concern, actions and notifications ---------------------------------------------------


def north_concern(world: World, *, reviewed: bool = False) -> dict:
    """A category 2 Case of Concern flagged on children's social care's return (chris's
    agency; hana's is not asked), reviewed by sam when `reviewed`."""
    from caseaudit.concerns.services import concern_categorise, concern_review
    from caseaudit.returns.models import AuditRequest
    from caseaudit.returns.services import concern_raise

    request = AuditRequest.objects.get(pk=north_request(world)["pk"])
    concern = concern_raise(request=request, user=world.chris, description="Matrix concern")
    concern_categorise(concern=concern, user=world.lena, category=2)
    if reviewed:
        concern_review(
            concern=concern,
            user=world.sam,
            action_taken="Reviewed",
            assurance="Safe",
            review_date=datetime.date(2026, 1, 1),
        )
    return {"pk": concern.pk}


def north_action(world: World) -> dict:
    """An open action owned by chris about the matrix child."""
    from caseaudit.actions.services import action_create
    from caseaudit.audits.models import SampledCase

    details = sampled_child(world)
    action = action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["chris"],
        what="Matrix action",
        due_date=datetime.date(2099, 1, 1),
        success_measure="Matrix measure",
        sampled_case=SampledCase.objects.get(pk=details["case_pk"]),
    )
    return {"pk": action.pk}


def chris_notification(world: World) -> dict:
    from caseaudit.notifications.services import notify

    [created] = notify(
        users=[world.chris], partnership=world.north, kind="action_assigned", message="Matrix"
    )
    return {"pk": created.pk}


def only(status: int, *names: str, anonymous: int = 302) -> dict[str, int]:
    """`status` for the named personas, 404 for everyone else signed in."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(PERSONAS, 404), **dict.fromkeys(names, status)}


@dataclass
class Case:
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[World], dict] = lambda world: {}
    data: Callable[[World], dict] = field(default=lambda world: {})


MATRIX: dict[str, Case] = {
    # Public pages
    "accessibility": Case(dict.fromkeys(EVERYONE, 200)),
    "privacy": Case(dict.fromkeys(EVERYONE, 200)),
    "cookies": Case(dict.fromkeys(EVERYONE, 200)),
    "session_timed_out": Case(dict.fromkeys(EVERYONE, 200)),
    "session_status": Case(dict.fromkeys(EVERYONE, 200)),
    "session_extend": Case(signed_in(200, anonymous=401), method="post"),
    # Signed-in pages
    "home": Case(signed_in(200)),
    # Switching to North: its people move on; South's admin holds no role there.
    "partnership_switch": Case(
        {**signed_in(302), "sol": 404},
        method="post",
        data=lambda w: {"partnership": w.north.pk},
    ),
    # People: partnership admins of the person's partnership only
    "people": Case(north_admin_only(200, sol=200)),
    "person_invite": Case(north_admin_only(200, sol=200)),
    "person_detail": Case(north_admin_only(200), kwargs=lambda w: {"pk": w.memberships["bea"].pk}),
    "person_role": Case(
        north_admin_only(302),
        method="post",
        kwargs=lambda w: {"pk": w.memberships["bea"].pk},
        data=lambda w: {"role": Role.MODERATOR},
    ),
    "person_deactivate": Case(
        north_admin_only(302), method="post", kwargs=lambda w: {"pk": w.memberships["bea"].pk}
    ),
    "person_reactivate": Case(
        north_admin_only(302), method="post", kwargs=lambda w: {"pk": w.memberships["bea"].pk}
    ),
    "invitation_withdraw": Case(north_admin_only(302), method="post", kwargs=invitation),
    # The link in an invitation email works for whoever holds it (it is the credential).
    "invitation_accept": Case(
        dict.fromkeys(EVERYONE, 200),
        kwargs=lambda w: invitation(w) and {"token": INVITE_TOKEN},
    ),
    # Agencies
    "agencies": Case(north_admin_only(200, sol=200)),
    "agency_add": Case(north_admin_only(200, sol=200)),
    "agency_edit": Case(north_admin_only(200), kwargs=lambda w: {"pk": w.csc.pk}),
    # Partnership settings: admins, for their own partnership
    "partnership_settings": Case(north_admin_only(200, sol=200)),
    # Access log
    "access_log": Case(north_admin_only(200, sol=200)),
    # Population: audit leads and partnership admins, their own partnership's imports only
    "population": Case(population_lead(200, sol=200)),
    "population_import": Case(population_lead(200, sol=200)),
    # Problems are kept in the session of whoever imported; without them nobody has the list.
    "population_import_problems": Case(population_lead(404), kwargs=lambda w: {"token": "none"}),
    "population_mapping_new": Case(population_lead(200, sol=200)),
    # Without a file's header row from step 1, step 2 sends people back to it.
    "population_mapping_columns": Case(population_lead(302, sol=302)),
    "population_figures": Case(population_lead(200), kwargs=snapshot),
    "population_benchmarks": Case(population_lead(200, sol=200)),
    "population_benchmark_delete": Case(population_lead(302), method="post", kwargs=benchmark),
    # Audits: everyone in the partnership sees the programme; agency auditors only the audits
    # their agency is involved in. Planning, moving and sampling: audit leads and admins, as for
    # population pages (population_lead).
    "programme": Case(signed_in(200)),
    "audit_new": Case(population_lead(200, sol=200)),
    "audit_detail": Case({**signed_in(200), "hana": 404, "sol": 404}, kwargs=north_audit),
    "audit_edit": Case(population_lead(200), kwargs=north_audit),
    "audit_move": Case(
        population_lead(302),
        method="post",
        kwargs=north_audit,
        data=lambda w: {"status": "sampling"},
    ),
    "audit_sample": Case(population_lead(200), kwargs=north_audit),
    "audit_sample_lock": Case(
        population_lead(302), method="post", kwargs=lambda w: {"pk": sampled_child(w)["pk"]}
    ),
    "audit_sample_swap": Case(population_lead(200), kwargs=sampled_child),
    "audit_sample_identifying_details": Case(population_lead(200), kwargs=sampled_child),
    # Returns: agency auditors complete their own agency's requests; the audit lead and admin
    # see every request; nobody else sees any.
    "my_returns": Case(returns_auditor(200, hana=200)),
    "return_start": Case(returns_auditor(200, alice=200, lena=200), kwargs=north_request),
    "return_section": Case(
        returns_auditor(200), kwargs=lambda w: {**north_request(w), "number": 1}
    ),
    "return_autosave": Case(
        {**returns_auditor(200), ANONYMOUS: 401},
        method="post",
        kwargs=north_request,
        data=lambda w: {"section": 1, "version": 0},
    ),
    "return_check": Case(returns_auditor(200), kwargs=north_request),
    # Not submitted yet: back to the return.
    "return_submitted": Case(returns_auditor(302), kwargs=north_request),
    "return_decline": Case(returns_auditor(200), kwargs=north_request),
    "return_concern": Case(returns_auditor(200, alice=200, lena=200), kwargs=north_request),
    "return_identifying_details": Case(
        returns_auditor(200, alice=200, lena=200), kwargs=north_request
    ),
    # The audit lead's request pages: audit leads and partnership admins (as population_lead);
    # chris, as an agency lead, reassigns within his own agency.
    "audit_template": Case(population_lead(200), kwargs=north_audit),
    "audit_requests": Case(population_lead(200), kwargs=north_audit),
    # Results: see results_viewers; releasing them is for the audit lead and admin.
    "audit_statistics": Case(results_viewers(200), kwargs=north_audit),
    "audit_dashboard": Case(results_viewers(200), kwargs=north_audit),
    # API tokens: everyone manages their own; no token 0 exists, so revoking it is 404 for all.
    "api_tokens": Case(signed_in(200)),
    "api_token_revoke": Case(signed_in(404), method="post", kwargs=lambda world: {"pk": 0}),
    # The API answers 401 without a token (it never uses the session), whoever is signed in;
    # its own tests cover tokens. The OpenAPI document is public.
    "api_openapi": Case(dict.fromkeys(EVERYONE, 200)),
    "api_audits": Case(dict.fromkeys(EVERYONE, 401)),
    "api_audit_statistics": Case(dict.fromkeys(EVERYONE, 401), kwargs=north_audit),
    "trends": Case({**results_viewers(200), "sol": 200}),
    "audit_comments": Case(results_viewers(200), kwargs=north_audit),
    # No comment 0 exists: admins and leads get 404 from the comment lookup, everyone else
    # from the permission. The view tests in tests/themes/ confirm a real comment.
    "audit_comment_themes": Case(
        population_lead(404),
        method="post",
        kwargs=lambda world: {**north_audit(world), "answer_pk": 0},
    ),
    "theme_list": Case(population_lead(200, sol=200)),
    "audit_results_release": Case(population_lead(302), method="post", kwargs=north_audit),
    "audit_requests_create": Case(population_lead(200), kwargs=north_audit),
    "audit_requests_send": Case(population_lead(302), method="post", kwargs=north_audit),
    "audit_requests_chase": Case(population_lead(200), kwargs=north_audit),
    "audit_case_agencies": Case(population_lead(200), kwargs=sampled_child),
    "audit_reminders": Case(population_lead(200), kwargs=north_audit),
    "return_reassign": Case(
        {**population_lead(200), "chris": 200}, kwargs=north_request_agency_lead
    ),
    "return_due_date": Case(population_lead(200), kwargs=north_request),
    "return_chase": Case(population_lead(302), method="post", kwargs=north_request),
    "return_reopen": Case(population_lead(200), kwargs=north_request),
    "return_inadmissible": Case(population_lead(200), kwargs=north_request),
    "return_history": Case(population_lead(200), kwargs=north_request),
    # Template builder: audit leads and partnership admins, their own partnership's templates
    "template_list": Case(population_lead(200, sol=200)),
    "template_new": Case(population_lead(200, sol=200)),
    "template_library": Case(population_lead(200, sol=200)),
    "template_import": Case(population_lead(200, sol=200)),
    "template_detail": Case(population_lead(200), kwargs=north_template("template")),
    "template_edit": Case(population_lead(200), kwargs=north_template("template")),
    "template_version": Case(population_lead(200), kwargs=north_template()),
    "template_version_new": Case(population_lead(302), method="post", kwargs=north_template()),
    "template_preview": Case(population_lead(200), kwargs=north_template()),
    "template_download": Case(
        population_lead(200), kwargs=lambda w: {**north_template()(w), "file_format": "yaml"}
    ),
    "template_grade_scale": Case(population_lead(200), kwargs=north_template()),
    "template_section_add": Case(population_lead(200), kwargs=north_template()),
    "template_section_edit": Case(population_lead(200), kwargs=north_template("section")),
    "template_section_move": Case(
        population_lead(302),
        method="post",
        kwargs=north_template("section"),
        data=lambda w: {"direction": "down"},
    ),
    "template_section_delete": Case(population_lead(200), kwargs=north_template("section")),
    "template_question_add": Case(population_lead(200), kwargs=north_template("section")),
    "template_question_edit": Case(population_lead(200), kwargs=north_template("question")),
    "template_question_condition": Case(population_lead(200), kwargs=north_template("question")),
    "template_question_move": Case(
        population_lead(302),
        method="post",
        kwargs=north_template("question"),
        data=lambda w: {"direction": "up"},
    ),
    "template_question_delete": Case(population_lead(200), kwargs=north_template("question")),
    # Exports: results readers (not chris or hana: North's audit is not released); only those
    # with VIEW_IDENTIFYING_DETAILS may add identifying details.
    "audit_exports": Case(
        {**signed_in(200), "chris": 404, "hana": 404, "sol": 404}, kwargs=north_audit
    ),
    "audit_export_download": Case(
        {**signed_in(200), "chris": 404, "hana": 404, "sol": 404},
        kwargs=lambda w: {**north_audit(w), "kind": "returns-long", "fmt": "csv"},
    ),
    # Findings editor: those who draft the publications (admin and audit lead)
    "findings": Case(finding_writers(200), kwargs=north_audit),
    "findings_texts": Case(finding_writers(200), kwargs=north_audit),
    "findings_item_new": Case(
        finding_writers(200), kwargs=lambda w: {**north_audit(w), "kind": "recommendation"}
    ),
    "findings_item_edit": Case(
        finding_writers(200),
        kwargs=finding_url("item_pk", kind="finding"),
    ),
    "findings_item_delete": Case(
        finding_writers(200),
        kwargs=finding_url("item_pk", kind="finding"),
    ),
    "findings_item_move": Case(
        finding_writers(302),
        method="post",
        kwargs=finding_url("item_pk", kind="finding"),
        data=lambda w: {"direction": "up"},
    ),
    # An answer that is not a comment of the audit: refused (400) once the page is reached.
    "findings_quote_add": Case(
        finding_writers(400),
        method="post",
        kwargs=finding_url("item_pk"),
        data=lambda w: {"answer": "0"},
    ),
    "findings_quote_remove": Case(
        finding_writers(302), method="post", kwargs=finding_url("item_pk", "quote_pk")
    ),
    # A recommendation's actions: those who write findings and manage actions (a senior
    # manager manages actions but does not write findings). Unlinking goes back to the page.
    "findings_recommendation_actions": Case(
        finding_writers(200),
        kwargs=lambda w: {k: v for k, v in north_recommendation(w).items() if k != "action_pk"},
    ),
    "findings_recommendation_action_unlink": Case(
        finding_writers(302), method="post", kwargs=north_recommendation
    ),
    # Publications: reading ready versions for publication_readers; the preview, accepting a
    # privacy-check hit and publishing for the admin and the lead (PUBLISH). Accepting a hit
    # that is not in the document sends the lead back to the preview; publishing the bare
    # audit's report makes a version and goes to its page.
    "publications": Case(publication_readers(200), kwargs=north_audit),
    "publication_preview": Case(
        finding_writers(200), kwargs=lambda w: {**north_audit(w), "product": "full-report"}
    ),
    "publication_hit_accept": Case(
        finding_writers(302),
        method="post",
        kwargs=lambda w: {**north_audit(w), "product": "seven-minute-briefing"},
        data=lambda w: {"prefix": "hit-1", "hit-1-fingerprint": "0", "hit-1-reason": "R"},
    ),
    "publication_publish": Case(
        finding_writers(302),
        method="post",
        kwargs=lambda w: {**north_audit(w), "product": "seven-minute-briefing"},
    ),
    "publication_version": Case(publication_readers(200), kwargs=north_publication),
    "publication_download": Case(
        publication_readers(200), kwargs=lambda w: {**north_publication(w), "fmt": "html"}
    ),
    # Meeting, grades, moderation and engagement (caseaudit.moderation). Figures pages follow
    # results_viewers; case-level pages case_discussion_readers; writing is for the lead and
    # admin (meeting, grades, engagement, the scale) or the moderator (moderation).
    "grading_scale": Case(population_lead(200, sol=200)),
    "meeting_detail": Case(case_discussion_readers(200), kwargs=north_audit),
    "meeting_record": Case(population_lead(200), kwargs=north_audit),
    "case_discussion_record": Case(population_lead(200), kwargs=sampled_child),
    "audit_grades": Case(results_viewers(200), kwargs=north_audit),
    "case_grade": Case(case_discussion_readers(200), kwargs=sampled_child),
    # An empty form comes back with its errors (200).
    "case_grade_record": Case(population_lead(200), method="post", kwargs=sampled_child),
    # The child is not graded yet, so the moderator is sent back to the case page.
    "case_grade_moderate": Case(
        {ANONYMOUS: 302, **dict.fromkeys(PERSONAS, 404), "morgan": 302},
        method="post",
        kwargs=sampled_child,
    ),
    "audit_engagement": Case(results_viewers(200), kwargs=north_audit),
    "engagement_record": Case(population_lead(200), kwargs=sampled_child),
    # Cases of Concern: the register for everyone with a role (agency auditors see their own
    # agency's only, board viewers the figures only); each case for those who may see it.
    "concern_register": Case(signed_in(200)),
    "concern_new": Case(only(200, "alice", "lena", "morgan", "sol")),
    "concern_detail": Case(
        only(200, "alice", "lena", "morgan", "sam", "chris"), kwargs=north_concern
    ),
    "concern_category": Case(only(200, "alice", "lena", "morgan"), kwargs=north_concern),
    "concern_review": Case(only(200, "sam"), kwargs=north_concern),
    "concern_close": Case(only(200, "sam"), kwargs=lambda w: north_concern(w, reviewed=True)),
    # Actions: the tracker's figures for board viewers too; each action for VIEW_ACTIONS and
    # its owner (chris); completing for the owner and MANAGE_ACTIONS.
    "action_tracker": Case(only(200, "alice", "lena", "morgan", "sam", "bea", "sol")),
    "action_list": Case(only(200, "alice", "lena", "morgan", "sam", "sol")),
    "my_actions": Case({**signed_in(200), "bea": 404}),
    "action_new": Case(only(200, "alice", "lena", "sam", "sol")),
    "action_new_from_concern": Case(only(200, "alice", "lena", "sam"), kwargs=north_concern),
    "action_new_from_recommendation": Case(
        finding_writers(200),
        kwargs=lambda w: {"pk": north_recommendation(w)["item_pk"]},
    ),
    "action_detail": Case(
        only(200, "alice", "lena", "morgan", "sam", "chris"), kwargs=north_action
    ),
    "action_complete": Case(only(200, "alice", "lena", "sam", "chris"), kwargs=north_action),
    "action_cancel": Case(only(200, "alice", "lena", "sam"), kwargs=north_action),
    # Notifications: everyone their own.
    "notifications": Case(signed_in(200)),
    "notification_read": Case(only(302, "chris"), method="post", kwargs=chris_notification),
    "notifications_read_all": Case(signed_in(302), method="post"),
    "notification_preferences": Case(signed_in(200)),
    # allauth: sign-in, passwords, two-factor and sessions
    "account_login": Case(signed_in(302, anonymous=200)),
    "account_logout": Case(signed_in(200)),
    "account_inactive": Case(dict.fromkeys(EVERYONE, 200)),
    "account_reauthenticate": Case(signed_in(200)),
    "account_change_password": Case(signed_in(200)),
    "account_set_password": Case(signed_in(302)),
    "account_reset_password": Case(dict.fromkeys(EVERYONE, 200)),
    "account_reset_password_done": Case(dict.fromkeys(EVERYONE, 200)),
    "account_reset_password_from_key": Case(
        dict.fromkeys(EVERYONE, 200), kwargs=lambda w: {"uidb36": "1", "key": "bad-key"}
    ),
    "account_reset_password_from_key_done": Case(dict.fromkeys(EVERYONE, 200)),
    "mfa_index": Case(signed_in(200)),
    "mfa_authenticate": Case(dict.fromkeys(EVERYONE, 302)),
    "mfa_reauthenticate": Case(signed_in(200)),
    # Everyone here already has an authenticator app, so activation sends them on.
    "mfa_activate_totp": Case(signed_in(302)),
    # Removing a factor or making recovery codes asks for the password again first.
    "mfa_deactivate_totp": Case(signed_in(302)),
    "mfa_view_recovery_codes": Case(signed_in(404)),
    "mfa_generate_recovery_codes": Case(signed_in(302)),
    "mfa_download_recovery_codes": Case(signed_in(404)),
    "usersessions_list": Case(signed_in(200)),
    # Django admin: operators only (staff). Every admin page sends non-staff to admin:login,
    # which answers 404 to signed-in non-staff and sends strangers to the service's sign-in.
    "admin:*": Case(signed_in(404)),
}


def url_names(patterns, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name or f'unnamed {pattern.pattern}'}")
    return names


def matrix_key(name: str) -> str:
    return f"{name.split(':')[0]}:*" if ":" in name else name


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(
        {name for name in url_names(get_resolver().url_patterns) if matrix_key(name) not in MATRIX}
    )
    assert not missing, f"URL patterns missing from the permission matrix: {missing}"


def test_matrix_names_only_existing_patterns():
    keys = {matrix_key(name) for name in url_names(get_resolver().url_patterns)}
    assert not set(MATRIX) - keys


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status(client, world, name, persona):
    case = MATRIX[name]
    if persona != ANONYMOUS:
        client.force_login(world.users[persona])
    url = reverse("admin:login" if name == "admin:*" else name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, case.data(world))
    assert response.status_code == case.expect[persona], (
        f"{case.method.upper()} {url} as {persona}: "
        f"got {response.status_code}, expected {case.expect[persona]}"
    )
