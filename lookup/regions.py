"""Administrative divisions of GB/T 2260: the 34 provincial-level divisions and the
333 prefecture-level ones (cities, prefectures, leagues, autonomous prefectures).

``lookup/data/regions.csv`` holds code, Chinese and English name, level, province and
an approximate centre (the seat of government, WGS 84). Codes and Chinese names follow
the Ministry of Civil Affairs' list; centres come from the MIT-licensed ``cpca`` adcode
table, shifted from GCJ-02 to WGS 84. Taiwan, Hong Kong and Macao appear at the
provincial level only.

The migration ``load_regions`` copies the table into :class:`lookup.models.Region`;
:func:`resolve_region` and :func:`region_name` read the shipped table directly, so they
need no query and work for any six-digit code, county-level ones included.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.utils import translation

from .reference_data import read_rows

REGION_CODE = re.compile(r"^[0-9]{6}$")
PROVINCE = "province"
PREFECTURE = "prefecture"


@dataclass(frozen=True)
class Division:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str
    latitude: Decimal
    longitude: Decimal

    @property
    def name(self):
        if translation.get_language() == "en":
            return self.name_en
        return self.name_zh


@dataclass(frozen=True)
class ResolvedRegion:
    """A division code placed in the table: its prefecture and its province, each
    ``None`` when the table has no such division."""

    code: str
    prefecture: Division | None
    province: Division | None

    @property
    def most_specific(self):
        return self.prefecture or self.province


@cache
def divisions():
    """Every division of the shipped table by code, provinces first."""
    rows = sorted(read_rows("regions.csv"), key=lambda row: (row["level"] != PROVINCE, row["code"]))
    return {
        row["code"]: Division(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            parent_code=row["parent_code"],
            latitude=Decimal(row["latitude"]),
            longitude=Decimal(row["longitude"]),
        )
        for row in rows
    }


def prefectures():
    return [division for division in divisions().values() if division.level == PREFECTURE]


@cache
def resolve_region(code):
    """Place a six-digit GB/T 2260 code (province, prefecture or county level) in the
    table: ``320115`` resolves to Nanjing (``320100``) in Jiangsu (``320000``).

    Raises ``ValueError`` for anything but six digits.
    """
    if not isinstance(code, str) or not REGION_CODE.match(code):
        raise ValueError(f"A region code is six digits (GB/T 2260), not {code!r}.")
    table = divisions()
    province = table.get(f"{code[:2]}0000")
    prefecture = None if code.endswith("0000") else table.get(f"{code[:4]}00")
    return ResolvedRegion(code=code, prefecture=prefecture, province=province)


def region_name(code, *, with_province=False):
    """The name of the most specific division the table knows for ``code``, in the
    active language (``"青岛市"`` / ``"Qingdao"``); with ``with_province`` the province
    comes first (``"山东省青岛市"`` / ``"Qingdao, Shandong Province"``). An empty string
    for a code the table does not know."""
    resolved = resolve_region(code)
    division = resolved.most_specific
    if division is None:
        return ""
    if not with_province or resolved.prefecture is None or resolved.province is None:
        return division.name
    if translation.get_language() == "en":
        return f"{resolved.prefecture.name_en}, {resolved.province.name_en}"
    return f"{resolved.province.name_zh}{resolved.prefecture.name_zh}"


def load_regions(region_model):
    """Create or update every division of the shipped table.

    Takes the model class so that a data migration can pass its historical model.
    Provinces go first, so that each prefecture finds its parent.
    """
    existing = {region.code: region for region in region_model.objects.all()}
    fields = ["name_zh", "name_en", "level", "latitude", "longitude"]
    for level in (PROVINCE, PREFECTURE):
        created, changed = [], []
        for division in divisions().values():
            if division.level != level:
                continue
            values = {field: getattr(division, field) for field in fields}
            values["parent"] = existing.get(division.parent_code) if division.parent_code else None
            region = existing.get(division.code)
            if region is None:
                created.append(region_model(code=division.code, **values))
            elif any(getattr(region, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(region, field, value)
                changed.append(region)
        region_model.objects.bulk_create(created)
        region_model.objects.bulk_update(changed, [*fields, "parent"])
        existing.update((region.code, region) for region in region_model.objects.filter(level=level))
