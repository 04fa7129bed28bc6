"""Creates the bench users: run by bench/core.py as `python -m bench.seed` with the bench
database's settings. Each user gets a membership in the demo partnership "north" (roles in
turn) and a TOTP authenticator. One password hash is computed and shared by all of them: hashing
is deliberately slow (PBKDF2, ~1M iterations) and signing in still checks it in full."""

import argparse
import json
import time

import django

django.setup()

from allauth.mfa.totp.internal.auth import (  # noqa: E402
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from caseaudit.accounts.models import Agency, Membership, Partnership, User  # noqa: E402
from caseaudit.accounts.roles import ROLES_NEEDING_AGENCY, Role  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    partnership = Partnership.objects.get(slug="north")
    agency = Agency.objects.filter(partnerships=partnership).order_by("pk").first()
    password = make_password(args.password)
    roles = list(Role)
    rows = []
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"bench{i:04d}@bench.example", full_name=f"Bench User {i}", password=password
            )
            for i in range(args.users)
        )
        Membership.objects.bulk_create(
            Membership(
                user=user,
                partnership=partnership,
                role=roles[i % len(roles)],
                agency=agency if roles[i % len(roles)] in ROLES_NEEDING_AGENCY else None,
            )
            for i, user in enumerate(users)
        )
        for user in users:
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            rows.append({"email": user.email, "secret": secret})
    counter = int(time.time()) // 30
    check = {
        "secret": rows[0]["secret"],
        "counter": counter,
        "code": format_hotp_value(hotp_value(rows[0]["secret"], counter)),
    }
    with open(args.out, "w") as handle:
        json.dump({"users": rows, "check": check}, handle)


if __name__ == "__main__":
    main()
