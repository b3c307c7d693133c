from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .reference import CertificationBody


class BodyStaff(models.Model):
    """Links a user to the certification body they work for: such a user sees and
    changes only that body's certificates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_staff", verbose_name=_("user")
    )
    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name=pgettext_lazy("certification body", "body"),
    )

    class Meta:
        verbose_name = _("certification body staff member")
        verbose_name_plural = _("certification body staff")

    def __str__(self):
        return f"{self.user} ({self.body.code})"


class ApiToken(models.Model):
    """A certification body's key to the reporting API. Only a hash of the key is
    stored; the key itself is shown once, when it is created."""

    body = models.ForeignKey(
        CertificationBody,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=pgettext_lazy("certification body", "body"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"


class ImportRun(models.Model):
    """One bulk import of a file, kept with its row-level report."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Administration upload")
        API = "api", _("Reporting API")

    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file checksum"), max_length=64, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("uploaded by")
    )
    body = models.ForeignKey(
        CertificationBody, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("reporting body")
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_outcome_display()})"
