from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.publications.privacy import HitKind


class PrivacyDecision(models.Model):
    """A privacy-check hit the audit lead has accepted, with the reason. The hit is known by its
    fingerprint (a keyed digest of kind, normalised text and location), so the identifying
    detail itself is never stored here: the same detail in the same place is accepted, the same
    detail anywhere else is a new hit."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=30, choices=HitKind.choices)
    location = models.CharField(max_length=200, blank=True)
    case = models.CharField(max_length=200, blank=True, help_text="Pseudonym(s), when known.")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.ACCEPTED)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "fingerprint"], name="privacy_decision_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="privacy_decision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.get_kind_display()}{where}: {self.get_decision_display().lower()}"


class PublicationQuerySet(models.QuerySet):
    """A ready version is the record of what was published: no bulk change reaches it."""

    def update(self, **kwargs):
        if self.filter(status=Publication.Status.READY).exists():
            raise PermissionError("A published version cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Publication.Status.READY).exists():
            raise PermissionError("A published version cannot be deleted")
        return super().delete()


class Publication(models.Model):
    """One version of one product of an audit. It is made `queued` with the document's JSON
    source (checked by the privacy check), rendered by the background task (`generating`,
    with progress) and ends `ready` with its files, or `failed` with the error. A ready version
    is immutable; publishing again makes the next version number."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        GENERATING = "generating", "Generating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="publications")
    product = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    formats = models.JSONField(default=list, help_text="The formats to render, in order.")
    title = models.CharField(max_length=300)
    source = models.JSONField(help_text="document_to_dict of the document published.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_via = models.CharField(max_length=40, blank=True, help_text="web or command")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "product", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "product", "version"], name="publication_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="publication_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} version {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Publication.objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() == self.Status.READY:
                raise PermissionError("A published version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.READY or (
            self.pk and Publication.objects.filter(pk=self.pk, status=self.Status.READY).exists()
        ):
            raise PermissionError("A published version cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.GENERATING)


class PublicationFileQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("A published file cannot be changed")

    def delete(self):
        raise PermissionError("A published file cannot be deleted")


class PublicationFile(models.Model):
    """One rendered file of a version, stored once under the data folder (never overwritten)
    with its SHA-256 and size. `path` is relative to settings.DATA_DIR."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    path = models.CharField(max_length=300, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = PublicationFileQuerySet.as_manager()

    class Meta:
        ordering = ["publication", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "format"], name="publication_file_one_per_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} ({self.format})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A published file cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A published file cannot be deleted")

    @property
    def full_path(self):
        return settings.DATA_DIR / self.path

    def download_name(self) -> str:
        """ "full-report-v2.pdf": the product, the version and the format's extension."""
        publication = self.publication
        return f"{publication.product}-v{publication.version}.{self.path.rsplit('.', 1)[-1]}"
