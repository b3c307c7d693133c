from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualNameMixin

USCC_PATTERN = r"^[0-9A-HJ-NPQRTUW-Y]{18}$"
REGION_PATTERN = r"^[0-9]{6}$"


class Region(BilingualNameMixin, models.Model):
    """An administrative division of GB/T 2260: a province or a prefecture-level city."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture-level city")

    code = models.CharField(_("code"), max_length=6, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("province")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [models.CheckConstraint(condition=Q(code__regex=REGION_PATTERN), name="region_code_six_digits")]

    def __str__(self):
        return f"{self.code} {self.name}"


class Organisation(BilingualNameMixin, models.Model):
    """A client, producer or manufacturer named on certificates.

    Chinese organisations are identified by their USCC; a foreign one may have only a
    registration number of its own country.
    """

    name_zh = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=400, blank=True)
    region_code = models.CharField(_("region"), max_length=6, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="CN")
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True, unique=True)
    registration_number = models.CharField(_("foreign registration number"), max_length=50, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["name_zh"]), models.Index(fields=["country", "name_zh"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc__isnull=True) | Q(uscc__regex=USCC_PATTERN), name="organisation_uscc_format"
            ),
            models.CheckConstraint(
                condition=Q(region_code="") | Q(region_code__regex=REGION_PATTERN), name="organisation_region_format"
            ),
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="organisation_country_format"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organisation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organisation_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def province_code(self):
        return f"{self.region_code[:2]}0000" if self.region_code else ""
