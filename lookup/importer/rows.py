"""Turning one row of the exchange format into a checked record, or into errors.

Parsing needs no database: the reference data it checks against (bodies,
categories, province prefixes) is read once into a ``Reference``.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from lookup.codes import CodeError, validate_certificate_number, validate_uscc
from lookup.models import Certificate, Organisation, Status

from .columns import NUMBER_COLUMNS, ORGANISATION_FIELDS, ORGANISATION_ROLES
from .countries import COUNTRY_CODES
from .errors import RowError

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER_PATTERN = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
REGION_PATTERN = re.compile(r"^\d{6}$")
LIST_SEPARATOR = re.compile(r"[;；]")
FORMULA_STARTS = frozenset("=+-@")
DEFAULT_SCHEME = Certificate._meta.get_field("scheme").default
STATUS_WORDS = {
    "有效": Status.VALID,
    "暂停": Status.SUSPENDED,
    "注销": Status.WITHDRAWN,
    "撤销": Status.REVOKED,
    "过期": Status.EXPIRED,
}
# Exchange column -> Certificate field, for plain text columns.
CERTIFICATE_TEXT_FIELDS = {
    "status_reason": "status_reason",
    "mode": "mode",
    "product_name": "product_name",
    "product_name_en": "product_name_en",
    "brand": "brand",
    "mark": "mark",
    "accreditation_mark": "accreditation_mark",
}
CERTIFICATE_LIST_FIELDS = {"rules": "rules", "standards": "standards", "models": "product_models"}
ORGANISATION_TEXT_FIELDS = {
    "name": "name_zh",
    "name_en": "name_en",
    "address": "address",
    "address_en": "address_en",
}
ORGANISATION_CACHE_SIZE = 4096
ROLE_COLUMNS = {role: tuple(f"{role}_{name}" for name in ORGANISATION_FIELDS) for role in ORGANISATION_ROLES}
STATUSES = frozenset(Status.values)


@functools.cache
def max_length(model, name):
    return model._meta.get_field(name).max_length


@dataclass(slots=True)
class Reference:
    """What rows are checked against: body and category codes with their ids, the
    province prefixes of GB/T 2260, and the one body a body's staff may import for."""

    body_ids: dict
    category_ids: dict
    province_prefixes: frozenset
    only_body: str | None = None


@dataclass(slots=True)
class OrganisationRecord:
    """An organisation as a row gives it. Empty values mean "not given"."""

    key: tuple
    values: dict


@dataclass(slots=True)
class CertificateRecord:
    """A checked row: Certificate field values for the columns the file has, and
    the organisations by role (``None`` when the row leaves that role empty)."""

    row: int
    number: str
    status: str
    values: dict
    organisations: dict = field(default_factory=dict)


def looks_like_formula(text):
    return len(text) > 1 and text[0] in FORMULA_STARTS


class RowParser:
    """Checks rows against the header it was made with."""

    def __init__(self, columns, reference):
        self.columns = columns
        self.reference = reference
        self.present = frozenset(name for name in columns if name)
        self.roles = tuple(
            role
            for role in ORGANISATION_ROLES
            if any(f"{role}_{name}" in self.present for name in ORGANISATION_FIELDS)
        )
        self._organisations = {}
        self.today = timezone.localdate()

    def parse(self, row_number, cells):
        """Return ``(record, errors)``; ``record`` is ``None`` when there are errors."""
        errors = []
        data = {}
        columns = self.columns
        width = len(columns)
        for index, cell in enumerate(cells):
            text = cell.strip() if cell else ""
            if not text:
                continue
            name = columns[index] if index < width else None
            if name is None:
                errors.append(
                    RowError(
                        row_number, "", text, _("Column %(index)s has a value but no header.") % {"index": index + 1}
                    )
                )
            elif (
                text[0] in FORMULA_STARTS
                and len(text) > 1
                and not (name in NUMBER_COLUMNS and NUMBER_PATTERN.match(text))
            ):
                errors.append(
                    RowError(
                        row_number,
                        name,
                        text,
                        _("Starts with “%(char)s”, which a spreadsheet would run as a formula.") % {"char": text[0]},
                    )
                )
            else:
                data[name] = text
        if errors:
            return None, errors
        record = self._certificate(row_number, data, errors)
        for role in self.roles:
            record.organisations[role] = self._organisation(row_number, role, data, errors)
        if errors:
            return None, errors
        return record, errors

    def _certificate(self, row_number, data, errors):
        def error(name, reason):
            errors.append(RowError(row_number, name, data.get(name, ""), reason))

        values = {}
        for name in ("number", "status", "issued_on", "expires_on", "product_name", "category", "body"):
            if name not in data:
                error(name, _("This value is required."))

        number = data.get("number")
        if number:
            try:
                number = validate_certificate_number(number)
            except CodeError as code_error:
                error("number", str(code_error))
                number = None
        values["number"] = number

        status = data.get("status")
        if status:
            status = STATUS_WORDS.get(status, status.lower())
            if status not in STATUSES:
                error("status", _("Not a status; use one of: %(statuses)s.") % {"statuses": ", ".join(Status.values)})
                status = None
        values["status"] = status

        for name in ("issued_on", "expires_on", "status_changed_on"):
            if name in data:
                values[name] = self._date(data[name], name, error)
            elif name in self.present:
                values[name] = None
        issued_on, expires_on = values.get("issued_on"), values.get("expires_on")
        if issued_on and expires_on and expires_on <= issued_on:
            error(
                "expires_on",
                _("The expiry date must come after the date of issue (%(issued)s).")
                % {"issued": issued_on.isoformat()},
            )
        changed_on = values.get("status_changed_on")
        if issued_on and changed_on and changed_on < issued_on:
            error("status_changed_on", _("The status cannot change before the certificate was issued."))
        if changed_on and changed_on > self.today:
            error("status_changed_on", _("A status change cannot be dated in the future."))
        if status == Status.EXPIRED and expires_on and expires_on >= self.today:
            error(
                "status",
                _("The certificate runs until %(date)s, so it has not expired yet.")
                % {"date": expires_on.isoformat()},
            )

        body_code = self._reference_code(data, "body", self.reference.body_ids, error)
        category_code = self._reference_code(data, "category", self.reference.category_ids, error)
        if body_code:
            values["body_id"] = self.reference.body_ids[body_code]
            only_body = self.reference.only_body
            if only_body and body_code != only_body:
                error("body", _("You may import certificates of your own body (%(code)s) only.") % {"code": only_body})
        if category_code:
            values["category_id"] = self.reference.category_ids[category_code]

        if number:
            if issued_on and number[1:5] != f"{issued_on.year:04d}":
                error(
                    "number",
                    _("The year in the number (%(year)s) is not the year of issue (%(issued)s).")
                    % {
                        "year": number[1:5],
                        "issued": issued_on.year,
                    },
                )
            if body_code and number[5:8] != body_code:
                error(
                    "number",
                    _("The body code in the number (%(part)s) is not the body column (%(code)s).")
                    % {
                        "part": number[5:8],
                        "code": body_code,
                    },
                )
            if category_code and number[8:11] != category_code:
                error(
                    "number",
                    _("The category code in the number (%(part)s) is not the category column (%(code)s).")
                    % {"part": number[8:11], "code": category_code},
                )

        if "scheme" in self.present:
            values["scheme"] = self._text(data, "scheme", Certificate, "scheme", error) or DEFAULT_SCHEME
        for column, model_field in CERTIFICATE_TEXT_FIELDS.items():
            if column in self.present:
                values[model_field] = self._text(data, column, Certificate, model_field, error)
        for column, model_field in CERTIFICATE_LIST_FIELDS.items():
            if column in self.present:
                values[model_field] = self._list(data, column, error)
        if "energy_saving_kwh_per_year" in self.present:
            values["energy_saving_kwh_per_year"] = self._energy(data.get("energy_saving_kwh_per_year"), error)
        return CertificateRecord(row=row_number, number=number or "", status=status or "", values=values)

    @staticmethod
    def _date(text, name, error):
        if not DATE_PATTERN.match(text):
            error(name, _("Not a date in the form YYYY-MM-DD."))
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            error(name, _("Not a date in the calendar."))
            return None

    @staticmethod
    def _reference_code(data, name, known, error):
        text = data.get(name)
        if not text:
            return None
        if text.isdigit() and len(text) < 3:
            text = text.zfill(3)
        if text not in known:
            label = _("certification body") if name == "body" else _("product category")
            error(name, _("No %(label)s has the code “%(code)s”.") % {"label": label, "code": text})
            return None
        return text

    @staticmethod
    def _text(data, column, model, model_field, error):
        text = data.get(column, "")
        limit = max_length(model, model_field)
        if limit and len(text) > limit:
            error(column, _("Longer than %(limit)s characters.") % {"limit": limit})
        return text

    @staticmethod
    def _list(data, column, error):
        items = [item.strip() for item in LIST_SEPARATOR.split(data.get(column, ""))]
        items = [item for item in items if item]
        for item in items:
            if looks_like_formula(item):
                error(
                    column,
                    _("An item starts with “%(char)s”, which a spreadsheet would run as a formula.")
                    % {"char": item[0]},
                )
                break
        return items

    @staticmethod
    def _energy(text, error):
        if not text:
            return None
        value = parse_decimal(text)
        if value is None:
            error("energy_saving_kwh_per_year", _("Not a number."))
        elif value < 0:
            error("energy_saving_kwh_per_year", _("Cannot be negative."))
        elif value.as_tuple().exponent < -2:
            error("energy_saving_kwh_per_year", _("At most two decimal places."))
        elif value >= Decimal("1e10"):
            error("energy_saving_kwh_per_year", _("Too large."))
        return value

    def _organisation(self, row_number, role, data, errors):
        raw = tuple(data.get(column, "") for column in ROLE_COLUMNS[role])
        cached = self._organisations.get(raw)
        if cached is None:
            cached = parse_organisation(raw, self.reference.province_prefixes, required=role == "client")
            if len(self._organisations) >= ORGANISATION_CACHE_SIZE:
                self._organisations.clear()
            self._organisations[raw] = cached
        organisation, problems = cached
        for name, reason in problems:
            column = f"{role}_{name}"
            errors.append(RowError(row_number, column, data.get(column, ""), reason))
        return organisation


def parse_decimal(text):
    if not NUMBER_PATTERN.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_organisation(raw, province_prefixes, *, required):
    """Check one organisation's cells (in ``ORGANISATION_FIELDS`` order).

    Return ``(record, problems)`` where problems are ``(field, reason)`` pairs; the
    record is ``None`` when the organisation is left empty.
    """
    given = dict(zip(ORGANISATION_FIELDS, raw, strict=True))
    problems = []
    if not any(raw):
        if required:
            problems.append(("name", _("This value is required.")))
        return None, problems
    if not given["name"]:
        problems.append(("name", _("The name is required when any other detail of the organisation is given.")))

    values = {}
    for column, model_field in ORGANISATION_TEXT_FIELDS.items():
        text = given[column]
        limit = max_length(Organisation, model_field)
        if len(text) > limit:
            problems.append((column, _("Longer than %(limit)s characters.") % {"limit": limit}))
        values[model_field] = text

    country = given["country"].upper() or "CN"
    if country not in COUNTRY_CODES:
        problems.append(("country", _("Not an ISO 3166-1 two-letter country code, such as CN or DE.")))
    values["country"] = country

    uscc = None
    registration_number = ""
    if given["uscc"]:
        if country == "CN":
            try:
                uscc = validate_uscc(given["uscc"])
            except CodeError as code_error:
                problems.append(("uscc", str(code_error)))
        else:
            registration_number = given["uscc"]
            limit = max_length(Organisation, "registration_number")
            if len(registration_number) > limit:
                problems.append(("uscc", _("Longer than %(limit)s characters.") % {"limit": limit}))
    values["uscc"] = uscc
    values["registration_number"] = registration_number

    region = given["region"]
    if region:
        if not REGION_PATTERN.match(region):
            problems.append(("region", _("A region code has 6 digits (GB/T 2260), such as 370200.")))
        elif region[:2] not in province_prefixes:
            problems.append(("region", _("No province has the code %(code)s0000.") % {"code": region[:2]}))
    values["region_code"] = region

    for name, limit in (("latitude", 90), ("longitude", 180)):
        text = given[name]
        value = None
        if text:
            value = parse_decimal(text)
            if value is None:
                problems.append((name, _("Not a number.")))
            elif not -limit <= value <= limit:
                problems.append((name, _("Out of range: between -%(limit)s and %(limit)s.") % {"limit": limit}))
                value = None
            else:
                value = value.quantize(Decimal("0.000001"))
        values[name] = value

    if uscc:
        key = ("uscc", uscc)
    elif registration_number:
        key = ("registration", country, registration_number)
    else:
        key = ("name", country, given["name"])
    return OrganisationRecord(key=key, values=values), problems
