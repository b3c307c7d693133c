from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .organisations import Organisation
from .reference import CertificationBody, ProductCategory

CERTIFICATE_NUMBER_PATTERN = r"^G[0-9]{16}$"
TRACE_CODE_PATTERN = r"^G[0-9]{22}$"


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", pgettext_lazy("certificate status", "Withdrawn")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=17, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)
    issued_on = models.DateField(pgettext_lazy("certificate", "issued on"))
    expires_on = models.DateField(_("expires on"))
    scheme = models.CharField(_("certification scheme"), max_length=100, default="green product certification")
    rules = models.JSONField(_("implementation rules"), default=list, blank=True)
    standards = models.JSONField(_("standards"), default=list, blank=True)
    mode = models.CharField(_("certification mode"), max_length=300, blank=True)
    product_name = models.CharField(_("product name"), max_length=300)
    product_name_en = models.CharField(_("product name (English)"), max_length=300, blank=True)
    product_models = models.JSONField(_("models"), default=list, blank=True)
    brand = models.CharField(_("brand"), max_length=150, blank=True)
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("product category")
    )
    body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("certification body")
    )
    client = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certificates_as_client", verbose_name=_("client")
    )
    producer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="certificates_as_producer",
        null=True,
        blank=True,
        verbose_name=_("producer"),
    )
    manufacturer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="certificates_as_manufacturer",
        null=True,
        blank=True,
        verbose_name=_("manufacturer"),
    )
    mark = models.CharField(_("mark"), max_length=100, blank=True)
    accreditation_mark = models.CharField(_("accreditation mark"), max_length=50, blank=True)
    energy_saving_kwh_per_year = models.DecimalField(
        _("electricity saved per year (kWh)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["status", "expires_on"], name="certificate_status_idx"),
            models.Index(fields=["body", "status"], name="certificate_body_idx"),
            models.Index(fields=["category", "status"], name="certificate_category_idx"),
            models.Index(fields=["issued_on"], name="certificate_issued_idx"),
            models.Index(fields=["updated_at"], name="certificate_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=CERTIFICATE_NUMBER_PATTERN), name="certificate_number_format"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="certificate_status_known"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="certificate_expires_after_issue"
            ),
            models.CheckConstraint(
                condition=Q(energy_saving_kwh_per_year__isnull=True) | Q(energy_saving_kwh_per_year__gte=0),
                name="certificate_energy_saving_not_negative",
            ),
        ]

    def __str__(self):
        return self.number

    def effective_status(self, on=None):
        """The status a reader should see today (or on ``on``): a valid certificate
        past its expiry date is expired, by date, with no job needed to mark it."""
        on = on or date.today()
        if self.status == Status.VALID and self.expires_on < on:
            return Status.EXPIRED
        return self.status


class StatusChange(models.Model):
    """One entry of a certificate's status history."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Bulk import")
        API = "api", _("Reporting API")
        ADMIN = "admin", _("Administration")
        SYSTEM = "system", _("System")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("certificate")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    changed_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("changed by")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["certificate", "changed_on", "recorded_at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["certificate", "changed_on"], name="status_change_cert_idx")]

    def __str__(self):
        return f"{self.certificate_id}: {self.from_status or '-'} → {self.to_status} ({self.changed_on})"


class TraceCode(models.Model):
    """One product unit's (or batch's) code, "one product, one code"."""

    code = models.CharField(_("trace code"), max_length=23, unique=True)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="trace_codes", verbose_name=_("certificate")
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("issued by")
    )
    scan_count = models.PositiveIntegerField(_("scans"), default=0)
    first_scanned_at = models.DateTimeField(_("first scanned"), null=True, blank=True)
    last_scanned_at = models.DateTimeField(_("last scanned"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("trace code")
        verbose_name_plural = _("trace codes")
        constraints = [models.CheckConstraint(condition=Q(code__regex=TRACE_CODE_PATTERN), name="trace_code_format")]

    def __str__(self):
        return self.code
