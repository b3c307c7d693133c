"""The lookup engine interface, its result types and the engine the settings choose.

Two engines implement :class:`LookupEngine`: Elasticsearch (``elastic.py``, when
``ELASTICSEARCH_URL`` is set) and an embedded SQLite FTS5 index (``embedded.py``,
otherwise). Both index the same flat document, :func:`certificate_document`, analyse
text with :mod:`lookup.engines.analysis` and answer a :class:`~lookup.engines.query.LookupQuery`
with a :class:`SearchResults`; ``lookup/tests/engine_suite.py`` holds them to the
same behaviour.

Rules every engine keeps:

* Status filters and facets use the *effective* status on ``query.today``: a valid
  certificate whose ``expires_on`` is before that day counts as expired. Engines index
  ``status`` and ``expires_on`` and compute it at query time.
* Ordering: valid certificates (effective status) first, then relevance, then the
  newest issue date, then the number. A query with no text orders valid first, then
  newest first.
* A query that is a code (``query.code``) is answered by :meth:`LookupEngine.code_numbers`:
  the certificates it names, filtered like any other search. Trace codes are not
  indexed; the database resolves them.
* Facets count the whole filtered result set (not only the page), by category code,
  effective status, body code and region (the client's province code).
"""

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.module_loading import import_string

from lookup.codes import CodeKind

FACETS = ("category", "status", "body", "region")
HIGHLIGHT_FIELDS = (
    "product_name",
    "product_name_en",
    "brand",
    "models",
    "client_name",
    "client_name_en",
)
ORGANISATION_ROLES = ("client", "producer", "manufacturer")


@dataclass
class Hit:
    """One certificate found: its number, its relevance score (higher is better; 0
    when the query had no text, or when the hit was listed by date rather than
    ranked, as the embedded engine lists matches past its ranking window and words
    too common to rank by) and highlighted fragments, field name → list of
    strings with the matched parts in ``<mark>…</mark>`` (the rest HTML-escaped)."""

    number: str
    score: float = 0.0
    highlight: dict = field(default_factory=dict)


@dataclass
class SearchResults:
    """A page of hits, the total number of matches and the facet counts, facet name →
    list of ``(value, count)`` pairs, largest count first. ``degraded`` is set when the
    engine could not search its index (a server down) and answered with less, or
    nothing: readers should be told the results are incomplete."""

    hits: list
    total: int
    facets: dict = field(default_factory=dict)
    degraded: bool = False

    @property
    def numbers(self):
        return [hit.number for hit in self.hits]


@dataclass
class EngineHealth:
    ok: bool
    engine: str
    documents: int | None = None
    detail: str = ""


class EngineUnavailable(RuntimeError):
    """The engine cannot answer now (server down, index missing or locked)."""


def _name(organisation, attribute):
    return (getattr(organisation, attribute, "") or "") if organisation is not None else ""


def province_of(region_code):
    return f"{region_code[:2]}0000" if region_code else ""


def certificate_document(certificate):
    """The flat dict both engines index for ``certificate``.

    Fetch certificates with ``select_related("category__group", "body", "client",
    "producer", "manufacturer")`` (see :func:`indexable_certificates`) to keep this
    query-free. Trace codes are not part of it.
    """
    category = certificate.category
    client = certificate.client
    document = {
        "number": certificate.number,
        "status": certificate.status,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "product_name": certificate.product_name or "",
        "product_name_en": certificate.product_name_en or "",
        "brand": certificate.brand or "",
        "models": [str(model) for model in (certificate.product_models or []) if str(model).strip()],
        "category": category.code,
        "category_name": category.name_zh,
        "category_name_en": category.name_en,
        "group": category.group.number,
        "body": certificate.body.code,
        "region": client.region_code if client else "",
        "province": province_of(client.region_code) if client else "",
        "energy_saving_kwh_per_year": (
            None if certificate.energy_saving_kwh_per_year is None else float(certificate.energy_saving_kwh_per_year)
        ),
        "updated_at": certificate.updated_at.isoformat() if certificate.updated_at else "",
    }
    usccs = []
    for role in ORGANISATION_ROLES:
        organisation = getattr(certificate, role)
        document[f"{role}_name"] = _name(organisation, "name_zh")
        document[f"{role}_name_en"] = _name(organisation, "name_en")
        document[f"{role}_uscc"] = _name(organisation, "uscc")
        if document[f"{role}_uscc"]:
            usccs.append(document[f"{role}_uscc"])
    document["usccs"] = list(dict.fromkeys(usccs))
    return document


CERTIFICATE_FIELDS = (
    "pk",
    "number",
    "status",
    "issued_on",
    "expires_on",
    "product_name",
    "product_name_en",
    "brand",
    "product_models",
    "category_id",
    "body_id",
    "client_id",
    "producer_id",
    "manufacturer_id",
    "energy_saving_kwh_per_year",
    "updated_at",
)


@dataclass(frozen=True)
class _Organisation:
    name_zh: str
    name_en: str
    uscc: str
    region_code: str


@dataclass(frozen=True)
class _Category:
    code: str
    name_zh: str
    name_en: str
    group: object


@dataclass(frozen=True)
class _Group:
    number: str


@dataclass(frozen=True)
class _Body:
    code: str


class _Row:
    """A certificate read as plain values, with the attributes
    :func:`certificate_document` reads."""

    __slots__ = (
        "number",
        "status",
        "issued_on",
        "expires_on",
        "product_name",
        "product_name_en",
        "brand",
        "product_models",
        "category",
        "body",
        "client",
        "producer",
        "manufacturer",
        "energy_saving_kwh_per_year",
        "updated_at",
    )


def certificate_documents(queryset=None, batch_size=2000):
    """The :func:`certificate_document` of every certificate of ``queryset`` (default:
    all), in lists of up to ``batch_size``, read without model instances: certificates
    in primary-key order a batch at a time (short queries, so a rebuild never holds a
    long read open on the database), their organisations once per batch, categories
    and bodies once. Builds the same dicts as :func:`certificate_document`, several
    times faster; memory stays at one batch."""
    from lookup.models import Certificate, CertificationBody, Organisation, ProductCategory

    queryset = Certificate.objects.all() if queryset is None else queryset
    categories = {
        pk: _Category(code, name_zh, name_en, _Group(number))
        for pk, code, name_zh, name_en, number in ProductCategory.objects.values_list(
            "pk", "code", "name_zh", "name_en", "group__number"
        )
    }
    bodies = {pk: _Body(code) for pk, code in CertificationBody.objects.values_list("pk", "code")}
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list(*CERTIFICATE_FIELDS)[:batch_size])
        if not rows:
            return
        last = rows[-1][0]
        organisation_ids = {pk for row in rows for pk in row[11:14] if pk is not None}
        organisations = {
            pk: _Organisation(name_zh, name_en, uscc or "", region_code)
            for pk, name_zh, name_en, uscc, region_code in Organisation.objects.filter(
                pk__in=organisation_ids
            ).values_list("pk", "name_zh", "name_en", "uscc", "region_code")
        }
        documents = []
        for values in rows:
            row = _Row()
            (
                _pk,
                row.number,
                row.status,
                row.issued_on,
                row.expires_on,
                row.product_name,
                row.product_name_en,
                row.brand,
                row.product_models,
                category,
                body,
                client,
                producer,
                manufacturer,
                row.energy_saving_kwh_per_year,
                row.updated_at,
            ) = values
            row.category = categories[category]
            row.body = bodies[body]
            row.client = organisations.get(client)
            row.producer = organisations.get(producer)
            row.manufacturer = organisations.get(manufacturer)
            documents.append(certificate_document(row))
        yield documents


def indexable_certificates(queryset=None):
    """Certificates with everything :func:`certificate_document` reads."""
    from lookup.models import Certificate

    queryset = Certificate.objects.all() if queryset is None else queryset
    return queryset.select_related("category__group", "body", "client", "producer", "manufacturer").order_by()


class LookupEngine(ABC):
    """What every lookup engine does. Writes take whole certificates (or numbers to
    remove) and are idempotent: indexing a certificate again replaces its document."""

    name = "base"

    @abstractmethod
    def index(self, certificates):
        """Add or replace the documents of ``certificates`` (an iterable of
        :class:`~lookup.models.Certificate`, ideally from :func:`indexable_certificates`),
        in bulk. Raises :class:`EngineUnavailable` when the index cannot be written."""

    @abstractmethod
    def remove(self, numbers):
        """Remove the documents of these certificate numbers; unknown numbers are ignored."""

    @abstractmethod
    def search(self, query):
        """Answer a :class:`~lookup.engines.query.LookupQuery` with :class:`SearchResults`:
        hits of page ``query.page`` (``query.page_size`` long), the total and, when
        ``query.facets``, the facet counts. A query with a code is restricted to
        :meth:`code_numbers`."""

    @abstractmethod
    def autocomplete(self, prefix, limit=10):
        """Up to ``limit`` distinct suggestions (product names, brands, company names,
        models) that begin with ``prefix`` or have a word that does, most common first."""

    @abstractmethod
    def lookup_indexed_code(self, parsed_code):
        """Numbers of indexed certificates with this certificate number or USCC (any of
        client, producer, manufacturer)."""

    @abstractmethod
    def rebuild(self, queryset=None, progress=None):
        """Rebuild the whole index from the database (``queryset`` defaults to every
        certificate) without interrupting searches; ``progress(done, total)`` is called
        as it goes. Returns the number of documents indexed."""

    @abstractmethod
    def clear(self):
        """Remove every document."""

    @abstractmethod
    def health(self):
        """An :class:`EngineHealth`."""

    @abstractmethod
    def count(self):
        """The number of documents in the index."""

    def lookup_code(self, parsed_code):
        """Certificate numbers a code names: a certificate number or USCC from the
        index, a trace code's certificate from the database."""
        if parsed_code.kind is CodeKind.TRACE:
            from lookup.models import TraceCode

            return list(TraceCode.objects.filter(code=parsed_code.value).values_list("certificate__number", flat=True))
        return self.lookup_indexed_code(parsed_code)

    def code_numbers(self, query):
        """The numbers a code query is restricted to, or None for a text query."""
        if query.code is None:
            return None
        return self.lookup_code(query.code)

    def today(self, query):
        return query.today or date.today()


_engines = {}
_engines_lock = threading.Lock()


def engine_class_path():
    configured = getattr(settings, "LOOKUP_ENGINE", "")
    if configured:
        return configured
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return "lookup.engines.elastic.ElasticsearchEngine"
    return "lookup.engines.embedded.EmbeddedEngine"


def get_engine():
    """The engine the settings choose, one per process and class: Elasticsearch when
    ``ELASTICSEARCH_URL`` is set, the embedded engine otherwise (``LOOKUP_ENGINE``, a
    dotted class path, overrides both)."""
    path = engine_class_path()
    with _engines_lock:
        if path not in _engines:
            _engines[path] = import_string(path)()
        return _engines[path]


def reset_engine():
    """Forget the engines made by :func:`get_engine` (for tests that change settings)."""
    with _engines_lock:
        _engines.clear()
