"""Query understanding: what a reader's ``q`` and filters ask of a lookup engine.

:func:`build_query` turns request parameters into a :class:`LookupQuery`, which
engines answer and tests inspect through :meth:`LookupQuery.to_dict`:

* ``q`` that is, once normalised (``lookup.codes.normalise``), shaped like a code
  (``G`` and digits, 16 or 20-odd digits, or 18 credit-code characters with digits)
  is parsed with :func:`lookup.codes.parse_code`; a malformed one raises the
  :class:`~lookup.codes.CodeError` that says what is wrong;
* any other ``q`` is free text, analysed into :class:`~lookup.engines.analysis.QueryTerm`\\s;
* filters are lists of codes (comma-separated in a request): ``category`` (3 digits),
  ``group`` (product group number, the API's ``scenario``), ``status``, ``body``
  (3 digits) and ``region`` (6 digits: a province code ending in ``0000`` matches
  every prefecture in it). A malformed filter raises :class:`QueryError`.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lookup.codes import USCC_ALPHABET, CodeKind, normalise, parse_code
from lookup.models import Status

from .analysis import query_terms

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200

_CODE_SHAPED = re.compile(r"G[0-9]{8,}|[0-9]{16}|[0-9]{20,24}")
_USCC_CHARACTERS = frozenset(USCC_ALPHABET)


def _format_lazy(template, **params):
    return lazy(lambda: str(template) % params, str)()


class QueryError(ValueError):
    """A malformed search parameter. ``field`` names it, ``code`` is a machine word."""

    def __init__(self, field, message, code="bad_parameter"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


@dataclass
class LookupQuery:
    text: str = ""
    code: object = None  # a lookup.codes.ParsedCode
    categories: tuple = ()
    groups: tuple = ()
    statuses: tuple = ()
    bodies: tuple = ()
    regions: tuple = ()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    today: date | None = None
    facets: bool = True
    highlight: bool = True
    terms: list = field(default_factory=list)

    def __post_init__(self):
        if self.text and not self.terms and self.code is None:
            self.terms = query_terms(self.text)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    @property
    def has_text(self):
        return bool(self.terms)

    @property
    def provinces(self):
        return tuple(region for region in self.regions if region.endswith("0000"))

    @property
    def prefectures(self):
        return tuple(region for region in self.regions if not region.endswith("0000"))

    def to_dict(self):
        return {
            "text": self.text,
            "code": None if self.code is None else {"kind": self.code.kind.value, "value": self.code.value},
            "terms": [term.to_dict() for term in self.terms],
            "filters": {
                "category": list(self.categories),
                "group": list(self.groups),
                "status": list(self.statuses),
                "body": list(self.bodies),
                "region": list(self.regions),
            },
            "page": self.page,
            "page_size": self.page_size,
            "today": self.today.isoformat() if self.today else None,
            "facets": self.facets,
            "highlight": self.highlight,
        }


def looks_like_code(text):
    """Whether normalised ``text`` is shaped like a certificate number, trace code or
    USCC (and so is judged as one rather than searched as words)."""
    value = normalise(text)
    if _CODE_SHAPED.fullmatch(value):
        return True
    return len(value) == 18 and set(value) <= _USCC_CHARACTERS and sum(character.isdigit() for character in value) >= 8


def detect_code(text):
    """The :class:`~lookup.codes.ParsedCode` ``text`` is, None when it is not
    code-shaped; raises :class:`~lookup.codes.CodeError` for a malformed code."""
    if not text or not looks_like_code(text):
        return None
    return parse_code(text)


def _values(raw):
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    values = []
    for item in items:
        values.extend(part.strip() for part in str(item).split(","))
    return [value for value in values if value]


def _digits(name, raw, length):
    values = []
    for value in _values(raw):
        folded = normalise(value)
        if not (folded.isascii() and folded.isdigit() and len(folded) == length):
            raise QueryError(
                name,
                _format_lazy(
                    _("%(name)s must be a code of %(length)s digits, not “%(value)s”."),
                    name=name,
                    length=length,
                    value=value,
                ),
            )
        values.append(folded)
    return tuple(dict.fromkeys(values))


def _groups(name, raw):
    values = []
    for value in _values(raw):
        folded = normalise(value)
        if not (folded.isascii() and folded.isdigit() and 1 <= len(folded) <= 2):
            raise QueryError(
                name,
                _format_lazy(
                    _("%(name)s must be a product group number such as 01, not “%(value)s”."), name=name, value=value
                ),
            )
        values.append(f"{int(folded):02d}")
    return tuple(dict.fromkeys(values))


def _statuses(raw):
    values = []
    for value in _values(raw):
        folded = value.lower()
        if folded not in Status.values:
            raise QueryError(
                "status",
                _format_lazy(
                    _("status must be one of %(choices)s, not “%(value)s”."),
                    choices=", ".join(Status.values),
                    value=value,
                ),
            )
        values.append(folded)
    return tuple(dict.fromkeys(values))


def _positive(name, raw, default, maximum=None):
    if raw in (None, ""):
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        if maximum is None:
            message = _format_lazy(_("%(name)s must be a whole number from 1, not “%(value)s”."), name=name, value=raw)
        else:
            message = _format_lazy(
                _("%(name)s must be a whole number from 1 to %(maximum)s, not “%(value)s”."),
                name=name,
                maximum=maximum,
                value=raw,
            )
        raise QueryError(name, message)
    return number


def build_query(
    q="",
    *,
    category=None,
    group=None,
    status=None,
    body=None,
    region=None,
    page=None,
    page_size=None,
    today=None,
    facets=True,
    highlight=True,
    group_name="scenario",
):
    """A :class:`LookupQuery` from request-like parameters (strings or lists)."""
    text = (q or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            "q", _format_lazy(_("q may be at most %(maximum)s characters long."), maximum=MAX_QUERY_LENGTH)
        )
    code = detect_code(text)
    return LookupQuery(
        text=text,
        code=code,
        categories=_digits("category", category, 3),
        groups=_groups(group_name, group),
        statuses=_statuses(status),
        bodies=_digits("body", body, 3),
        regions=_digits("region", region, 6),
        page=_positive("page", page, 1),
        page_size=_positive("page_size", page_size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        today=today,
        facets=facets,
        highlight=highlight,
    )


__all__ = ["CodeKind", "LookupQuery", "QueryError", "build_query", "detect_code", "looks_like_code"]
