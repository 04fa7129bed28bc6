"""Personas shared by every test (after healthchecks): in partnership North, alice is the
partnership admin, lena the audit lead, chris audits for children's social care and hana for
health, morgan moderates, sam is the senior manager, bea a board viewer; sol is the admin of
South. Each has a TOTP authenticator so MFA-required pages open for them."""

from dataclasses import dataclass

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from caseaudit.accounts.models import Agency, Membership, Partnership, Sector, User
from caseaudit.accounts.roles import Role

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    north: Partnership
    south: Partnership
    csc: Agency
    health: Agency
    police: Agency
    south_csc: Agency
    users: dict[str, User]
    memberships: dict[str, Membership]
    totp_secrets: dict[str, str]

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


PERSONAS = {
    # name: (partnership, role, agency attribute)
    "alice": ("north", Role.PARTNERSHIP_ADMIN, None),
    "lena": ("north", Role.AUDIT_LEAD, None),
    "chris": ("north", Role.AGENCY_AUDITOR, "csc"),
    "hana": ("north", Role.AGENCY_AUDITOR, "health"),
    "morgan": ("north", Role.MODERATOR, None),
    "sam": ("north", Role.SENIOR_MANAGER, None),
    "bea": ("north", Role.BOARD_VIEWER, None),
    "sol": ("south", Role.PARTNERSHIP_ADMIN, None),
}


def make_world() -> World:
    north = Partnership.objects.create(name="North", slug="north")
    south = Partnership.objects.create(name="South", slug="south")
    csc = Agency.objects.create(
        name="North Children's Social Care", code="CSC", sector=Sector.CHILDRENS_SOCIAL_CARE
    )
    health = Agency.objects.create(name="North Health Trust", code="HEALTH", sector=Sector.HEALTH)
    police = Agency.objects.create(name="Shire Police", code="POL", sector=Sector.POLICE)
    south_csc = Agency.objects.create(
        name="South Children's Services", code="CSC", sector=Sector.CHILDRENS_SOCIAL_CARE
    )
    csc.partnerships.add(north)
    health.partnerships.add(north)
    police.partnerships.add(north, south)
    south_csc.partnerships.add(south)
    places = {"north": north, "south": south}
    agencies = {"csc": csc, "health": health}
    users, memberships, secrets = {}, {}, {}
    for name, (place, role, agency) in PERSONAS.items():
        user = User.objects.create_user(f"{name}@{place}.example", PASSWORD, full_name=name.title())
        memberships[name] = Membership.objects.create(
            user=user,
            partnership=places[place],
            role=role,
            agency=agencies.get(agency) if agency else None,
        )
        secrets[name] = generate_totp_secret()
        TOTP.activate(user, secrets[name])
        users[name] = user
    return World(north, south, csc, health, police, south_csc, users, memberships, secrets)


@pytest.fixture
def world(db) -> World:
    return make_world()


def totp_code(secret: str) -> str:
    """The current code an authenticator app would show. allauth refuses a code used once, so a
    test signing in twice within one 30-second period must wait for the next code."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
