"""The returns the autosave benchmark works on: run by bench/benchmarks/autosave.py as
`python -m bench.autosave_seed` with the bench database's settings, after the demo data.

It makes `--auditors` agency auditors in the demo partnership "north", spread over its agencies,
each with a TOTP authenticator (one password hash shared by all, as bench/seed.py does), and an
audit through the real services: the benchmark's template (`template_create`), a case list of
one invented child per auditor (`population_import`), each child known to its auditor's agency,
a locked sample (`sample_lock`), the requests (`requests_create`), each assigned to its own
auditor, and sent (`requests_send`). Writes the auditors and their requests as JSON to --out."""

import argparse
import datetime
import json

import django

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.benchmarks.autosave import SPEC  # noqa: E402
from caseaudit.accounts.models import Agency, Membership, Partnership, User  # noqa: E402
from caseaudit.accounts.roles import Role  # noqa: E402
from caseaudit.audits.models import Sample, SampledCase  # noqa: E402
from caseaudit.audits.sample_services import sample_lock  # noqa: E402
from caseaudit.audits.services import audit_create  # noqa: E402
from caseaudit.population.services import population_import  # noqa: E402
from caseaudit.questionnaires.services import template_create  # noqa: E402
from caseaudit.returns.models import AuditRequest  # noqa: E402
from caseaudit.returns.services import requests_create, requests_send  # noqa: E402

CATEGORIES = ["neglect", "emotional_abuse", "physical_abuse", "sexual_abuse", "multiple"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--auditors", type=int, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    count = args.auditors

    partnership = Partnership.objects.get(slug="north")
    agencies = list(Agency.objects.filter(partnerships=partnership).order_by("pk"))
    lead = Membership.objects.filter(partnership=partnership, role=Role.AUDIT_LEAD).first().user
    password = make_password(args.password)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"auditor{i:04d}@autosave.bench.example",
                full_name=f"Bench Auditor {i}",
                password=password,
            )
            for i in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                partnership=partnership,
                role=Role.AGENCY_AUDITOR,
                agency=agencies[i % len(agencies)],
            )
            for i, user in enumerate(users)
        )
        secrets = []
        for user in users:
            secrets.append(generate_totp_secret())
            TOTP.activate(user, secrets[-1])

    audit = audit_create(
        partnership=partnership,
        title="Bench: autosave under load",
        user=lead,
        agencies=agencies,
    )
    _, version = template_create(partnership=partnership, spec=SPEC, user=lead)
    audit.template_version = version
    audit.save(update_fields=["template_version"])
    rows = "".join(
        f"AS-{i:05d},{CATEGORIES[i % len(CATEGORIES)]},Bench Child{i},"
        f"{datetime.date(2012, 1, 1) + datetime.timedelta(days=7 * i)},"
        f"{agencies[i % len(agencies)].code}\n"
        for i in range(count)
    )
    snapshot = population_import(
        partnership=partnership,
        content=("child_id,plan_category,name,date_of_birth,agencies\n" + rows).encode(),
        file_name="autosave-bench.csv",
        user=lead,
    )
    sample = Sample.objects.create(audit=audit, snapshot=snapshot, size=count, seed=1)
    SampledCase.objects.bulk_create(
        SampledCase(sample=sample, case=case, order=order, pseudonym=f"Child {order}")
        for order, case in enumerate(snapshot.cases.order_by("pk"), start=1)
    )
    sample_lock(sample=sample, user=lead)
    audit.refresh_from_db()  # forgets the sample as it was before the lock
    requests_create(audit=audit, user=lead, due_date=timezone.localdate() + datetime.timedelta(28))
    requests = list(AuditRequest.objects.filter(audit=audit).order_by("sampled_case__order"))
    if len(requests) != count:
        raise SystemExit(f"{len(requests)} requests for {count} children")
    for request, user in zip(requests, users, strict=True):
        request.assignee = user
    AuditRequest.objects.bulk_update(requests, ["assignee"])
    sent = requests_send(audit=audit, user=lead)
    if sent.sent != count:
        raise SystemExit(f"{sent.sent} requests sent for {count} children")
    with open(args.out, "w") as handle:
        json.dump(
            {
                "audit": audit.pk,
                "auditors": [
                    {"email": user.email, "secret": secret, "request": request.pk}
                    for user, secret, request in zip(users, secrets, requests, strict=True)
                ],
            },
            handle,
        )


if __name__ == "__main__":
    main()
