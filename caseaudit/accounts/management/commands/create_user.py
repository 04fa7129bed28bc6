from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email
from django.urls import reverse

from caseaudit.accounts import services
from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.accounts.models import Agency
from caseaudit.accounts.roles import Role


class Command(ProvisioningCommand):
    help = (
        "Give a person a role in a partnership, creating their account if new. A new account has "
        "no password: the command prints a single-use link to set one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--agency", metavar="NAME", help="Required for agency_auditor")
        parser.add_argument("--name", default="", help="Full name")
        parser.add_argument(
            "--base-url",
            default=settings.BASE_URL,
            help="Where the service is reached, for the set-password link",
        )

    def handle(self, *args, **options):
        try:
            validate_email(options["email"])
        except ValidationError as error:
            raise CommandError(f"'{options['email']}' is not a valid email address") from error
        partnership = self.partnership(options["partnership"])
        if options["role"] not in Role.values:
            raise CommandError(
                f"Unknown role '{options['role']}'. Use one of: {', '.join(Role.values)}"
            )
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(
                name__iexact=options["agency"].strip(), partnerships=partnership
            ).first()
            if agency is None:
                raise CommandError(
                    f"No agency named '{options['agency']}' serves {partnership.slug}"
                )
        try:
            user, membership, created = services.user_create_with_membership(
                email=options["email"],
                partnership=partnership,
                role=options["role"],
                agency=agency,
                full_name=options["name"],
            )
        except ValidationError as error:
            raise self.as_command_error(error) from error
        where = f" at {agency.name}" if agency else ""
        self.stdout.write(
            f"{'Created user' if created else 'Existing user'} {user.email}: "
            f"{membership.get_role_display()}{where} in {partnership.name} "
            f"(membership id {membership.pk})"
        )
        if not user.has_usable_password():
            path = reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            )
            self.stdout.write(
                f"Set a password (single use): {options['base_url'].rstrip('/')}{path}"
            )
