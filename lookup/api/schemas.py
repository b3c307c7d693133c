"""Request and response shapes; they are also what the OpenAPI document describes."""

import datetime as dt
from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

StatusValue = Literal["valid", "suspended", "withdrawn", "revoked", "expired"]


class ErrorDetail(Schema):
    code: str = Field(description="A stable machine word, e.g. bad_length, not_found, forbidden.")
    message: str = Field(description="What is wrong, in the reader's language.")
    field: str | None = Field(None, description="The parameter or body field at fault.")


class ErrorOut(Schema):
    error: ErrorDetail


class NamedCode(Schema):
    code: str
    name: str = Field(description="In the reader's language.")


class CategoryOut(NamedCode):
    group: NamedCode


class BodyOut(NamedCode):
    website: str


class OrganisationOut(Schema):
    name: str = Field(description="Registered name (Chinese for a Chinese organisation).")
    name_en: str
    display_name: str = Field(description="The name in the reader's language, falling back to the registered one.")
    address: str
    address_en: str
    region: NamedCode | None
    country: str
    uscc: str | None
    registration_number: str
    latitude: float | None
    longitude: float | None


class StatusChangeOut(Schema):
    from_status: str
    to_status: StatusValue
    to_status_label: str
    changed_on: date
    reason: str
    source: str


class CertificateOut(Schema):
    number: str
    status: StatusValue = Field(description="Effective status: a valid certificate past its expiry date is expired.")
    status_label: str
    recorded_status: StatusValue = Field(description="The status as recorded by the certification body.")
    status_changed_on: date | None
    status_reason: str
    issued_on: date
    expires_on: date
    scheme: str
    rules: list[str]
    standards: list[str]
    mode: str
    product_name: str
    product_name_en: str
    display_product_name: str = Field(description="The product name in the reader's language.")
    models: list[str]
    brand: str
    category: CategoryOut
    body: BodyOut
    client: OrganisationOut
    producer: OrganisationOut | None
    manufacturer: OrganisationOut | None
    mark: str
    accreditation_mark: str
    energy_saving_kwh_per_year: float | None
    status_history: list[StatusChangeOut]
    updated_at: datetime


class TraceOut(Schema):
    code: str
    url: str = Field(description="The short public address printed in the code's QR code.")
    status: StatusValue = Field(description="The effective status of the certificate.")
    status_label: str
    issued_at: datetime
    scan_count: int = Field(description="Times the public trace page has been opened.")
    first_scanned_at: datetime | None
    certificate: CertificateOut


class OrganisationIn(Schema):
    name: str
    name_en: str = ""
    address: str = ""
    address_en: str = ""
    uscc: str = ""
    region: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None


class CertificateIn(Schema):
    """A certificate in the fields of the bulk exchange format; organisations nested."""

    number: str
    status: StatusValue = "valid"
    status_changed_on: date | None = None
    status_reason: str = ""
    issued_on: date
    expires_on: date
    scheme: str = ""
    rules: list[str] = []
    standards: list[str] = []
    mode: str = ""
    product_name: str
    product_name_en: str = ""
    models: list[str] = []
    brand: str = ""
    category: str
    body: str = Field("", description="Defaults to the API key's certification body.")
    mark: str = ""
    accreditation_mark: str = ""
    energy_saving_kwh_per_year: float | None = None
    client: OrganisationIn
    producer: OrganisationIn | None = None
    manufacturer: OrganisationIn | None = None


class CertificatePatch(Schema):
    """Only the fields sent are changed. Status changes go through the status endpoint."""

    status_changed_on: date | None = None
    status_reason: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    scheme: str | None = None
    rules: list[str] | None = None
    standards: list[str] | None = None
    mode: str | None = None
    product_name: str | None = None
    product_name_en: str | None = None
    models: list[str] | None = None
    brand: str | None = None
    category: str | None = None
    mark: str | None = None
    accreditation_mark: str | None = None
    energy_saving_kwh_per_year: float | None = None
    client: OrganisationIn | None = None
    producer: OrganisationIn | None = None
    manufacturer: OrganisationIn | None = None


class StatusIn(Schema):
    status: StatusValue
    reason: str = ""
    date: dt.date | None = Field(None, description="When the status changed; today when left out.")


class TraceCodesIn(Schema):
    count: int = Field(ge=1, le=10_000)


class TraceCodeOut(Schema):
    code: str
    url: str
    certificate: str
    product: str
    issued_at: datetime
