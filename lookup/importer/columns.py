"""The columns of the bulk exchange format and the header check."""

import difflib

from django.utils.translation import gettext as _

from .errors import RowError

ORGANISATION_ROLES = ("client", "producer", "manufacturer")
ORGANISATION_FIELDS = (
    "name",
    "name_en",
    "address",
    "address_en",
    "uscc",
    "region",
    "country",
    "latitude",
    "longitude",
)
# The full header of certificate-data.md, as the spec gives it.
FULL_HEADER = (
    "number,status,status_changed_on,status_reason,issued_on,expires_on,scheme,rules,standards,"
    "mode,product_name,product_name_en,models,brand,category,body,mark,accreditation_mark,"
    "energy_saving_kwh_per_year,client_name,client_name_en,client_address,client_address_en,"
    "client_uscc,producer_name,producer_name_en,producer_address,producer_address_en,"
    "producer_uscc,manufacturer_name,manufacturer_name_en,manufacturer_address,"
    "manufacturer_address_en,manufacturer_uscc,client_region,producer_region,manufacturer_region,"
    "client_country,producer_country,manufacturer_country,client_latitude,producer_latitude,"
    "manufacturer_latitude,client_longitude,producer_longitude,manufacturer_longitude"
)
COLUMNS = tuple(FULL_HEADER.split(","))
CERTIFICATE_COLUMNS = tuple(column for column in COLUMNS if not column.startswith(ORGANISATION_ROLES))
REQUIRED_COLUMNS = (
    "number",
    "status",
    "issued_on",
    "expires_on",
    "product_name",
    "category",
    "body",
    "client_name",
)
NUMBER_COLUMNS = frozenset(
    {"energy_saving_kwh_per_year"}
    | {f"{role}_{field}" for role in ORGANISATION_ROLES for field in ("latitude", "longitude")}
)


def clean_header_cell(value):
    return "" if value is None else str(value).strip().lstrip("\ufeff").strip().lower()


def check_header(cells):
    """Read the header row: return ``(columns, errors)``.

    ``columns`` has one entry per cell: the column name, or ``None`` for an empty
    header cell (its column must stay empty). ``errors`` lists unknown, repeated and
    missing required columns, all reported on row 1.
    """
    columns = []
    errors = []
    seen = set()
    for cell in cells:
        name = clean_header_cell(cell)
        if not name:
            columns.append(None)
            continue
        if name not in COLUMNS:
            suggestion = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
            if suggestion:
                reason = _("Unknown column “%(column)s”; did you mean “%(suggestion)s”?") % {
                    "column": name,
                    "suggestion": suggestion[0],
                }
            else:
                reason = _("Unknown column “%(column)s”.") % {"column": name}
            errors.append(RowError(1, name, str(cell), reason))
        elif name in seen:
            errors.append(RowError(1, name, str(cell), _("The column “%(column)s” appears twice.") % {"column": name}))
        seen.add(name)
        columns.append(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(1, name, "", _("The required column “%(column)s” is missing.") % {"column": name}))
    return columns, errors
