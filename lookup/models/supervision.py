from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .reference import CertificationBody, ProductCategory


class SpotCheck(models.Model):
    """A published result of a market-supervision spot check (监督抽查)."""

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    year = models.PositiveSmallIntegerField(_("year"))
    task_name = models.CharField(_("task"), max_length=300)
    region_code = models.CharField(_("region"), max_length=6, blank=True)
    category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="spot_checks"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="spot_checks"
    )
    organisation_name = models.CharField(_("organisation sampled"), max_length=200)
    product = models.CharField(_("product sampled"), max_length=300)
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    findings = models.TextField(_("findings"), blank=True)
    published_on = models.DateField(_("published on"))

    class Meta:
        ordering = ["-published_on", "task_name"]
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        indexes = [models.Index(fields=["organisation", "result"], name="spot_check_org_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=["pass", "fail"]), name="spot_check_result_known")
        ]

    def __str__(self):
        return f"{self.year} {self.task_name}: {self.organisation_name}"


class BlacklistEntry(models.Model):
    """A party listed for serious violations: a certification body or an organisation."""

    body = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, null=True, blank=True, related_name="blacklist_entries"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="blacklist_entries"
    )
    party_name = models.CharField(_("party"), max_length=200)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=200)
    listed_until = models.DateField(_("listed until"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist entries")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(body__isnull=False) & Q(organisation__isnull=False)), name="blacklist_one_party"
            ),
            models.CheckConstraint(
                condition=Q(listed_until__isnull=True) | Q(listed_until__gte=models.F("decided_on")),
                name="blacklist_until_after_decision",
            ),
        ]

    def __str__(self):
        return self.party_name
