import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.roles import ROLES_NEEDING_AGENCY, Role, role_has


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address. What they may do comes from memberships."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email

    def active_memberships(self) -> models.QuerySet["Membership"]:
        return self.memberships.filter(is_active=True).select_related("partnership", "agency")


class Partnership(models.Model):
    """The tenant: a Safeguarding Children Partnership. Every record belongs to one."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    recency_months = models.PositiveSmallIntegerField(
        default=12,
        help_text="A child audited in this many months before a sample is drawn is left out.",
    )
    pseudonym_names = models.JSONField(
        default=list,
        blank=True,
        help_text="The partnership's own changed names for sampled children, in the order used. "
        'Leave empty for "Child A", "Child B", ...',
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    EARLY_HELP = "early_help", "Early help"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HOUSING = "housing", "Housing"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    """An organisation that audits its own records. One agency (a police force, an NHS trust)
    may serve several partnerships, so it is shared rather than owned."""

    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=20, blank=True, help_text="Short code used in imports, for example CSC."
    )
    sector = models.CharField(max_length=40, choices=Sector.choices)
    partnerships = models.ManyToManyField(Partnership, related_name="agencies")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one partnership (and, for agency auditors, the agency they work for)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    is_agency_lead = models.BooleanField(
        default=False,
        help_text="An agency auditor who may reassign their agency's requests.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_membership_each"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} in {self.partnership}"

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    def clean(self) -> None:
        if self.role in ROLES_NEEDING_AGENCY and self.agency_id is None:
            raise ValidationError({"agency": "Select the agency this person audits for"})
        if (
            self.agency_id
            and self.partnership_id
            and not self.agency.partnerships.filter(pk=self.partnership_id).exists()
        ):
            raise ValidationError({"agency": "Select an agency that serves this partnership"})

    def can(self, permission: str) -> bool:
        return self.is_active and role_has(self.role, permission)


def _default_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link that lets a person set a password and join a partnership.
    Only the token's hash is stored, so a database reader cannot accept an invitation."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.partnership}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Waiting"

    @property
    def is_usable(self) -> bool:
        return self.status == "Waiting"
