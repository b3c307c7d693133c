"""Reference data: product groups and categories, certification bodies.

Shipped in ``lookup/data/*.csv``, loaded by migration and editable by
administrators afterwards.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualNameMixin

THREE_DIGITS = r"^[0-9]{3}$"


class ProductGroup(BilingualNameMixin, models.Model):
    number = models.CharField(_("number"), max_length=2, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["number"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{2}$"), name="product_group_number_two_digits"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class ProductCategory(BilingualNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="categories", verbose_name=_("group")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150)
    standard = models.CharField(_("evaluation standard"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=THREE_DIGITS), name="product_category_code_three_digits"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class CertificationBody(BilingualNameMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    code = models.CharField(_("code"), max_length=3, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    approval_number = models.CharField(_("approval number"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    approved_categories = models.ManyToManyField(
        ProductCategory, blank=True, related_name="bodies", verbose_name=_("approved product categories")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["code"]
        verbose_name = _("certification body")
        verbose_name_plural = _("certification bodies")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=THREE_DIGITS), name="certification_body_code_three_digits"),
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended", "revoked"]), name="certification_body_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"
