"""Reports from the public about a certificate: a suspected fake certificate or mark,
or a certified product that does not match its certificate.

The reader's address is never stored. ``sender_key`` is a keyed hash of it, enough
for the market-supervision editors to see that several reports came from one sender
and not enough to recover the address.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .certificates import CERTIFICATE_NUMBER_PATTERN, Certificate

DESCRIPTION_MIN_LENGTH = 20
DESCRIPTION_MAX_LENGTH = 2000


class ConcernReport(models.Model):
    class Kind(models.TextChoices):
        FAKE_CERTIFICATE = "fake_certificate", _("The certificate or its number looks fake")
        MARK_MISUSE = "mark_misuse", _("The mark is on a product the certificate does not cover")
        NON_COMPLIANCE = "non_compliance", _("The product does not match the certificate")
        SOLD_WHILE_INVALID = "sold_while_invalid", _("Sold as certified while the certificate is not valid")
        OTHER = "other", _("Something else")

    class ReportStatus(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("certificate number"), max_length=17)
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concern_reports",
        verbose_name=_("certificate"),
        help_text=_("Empty when the number was never issued."),
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    where_seen = models.CharField(_("where the product was seen"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    sender_key = models.CharField(_("sender key"), max_length=64, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW)
    editor_notes = models.TextField(_("editors' notes"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report from the public")
        verbose_name_plural = _("reports from the public")
        indexes = [models.Index(fields=["status", "created_at"], name="concern_report_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=CERTIFICATE_NUMBER_PATTERN), name="concern_report_number_format"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "under_review", "closed"]), name="concern_report_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.number}: {self.get_kind_display()}"
