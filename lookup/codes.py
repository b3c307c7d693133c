"""Certificate numbers, trace codes and unified social credit codes (USCC).

Every code a person types or pastes goes through :func:`normalise` first, then is
judged against the layouts of ``certificate-data.md``:

* certificate number: ``G`` + 4-digit year + 3-digit body code + 3-digit category code
  + 6 random digits (17 characters), e.g. ``G2024001011382914``;
* trace code: the same prefix + 12 random digits (23 characters);
* USCC (GB 32100-2015): 18 characters from ``0-9 A-H J-N P-R T U W-Y``, the last a
  check character.

A string that does not fit raises :class:`CodeError`, whose ``message`` tells a
consumer which layout the input nearly matches and what is wrong with it.

Issuing codes: random digits come from :mod:`secrets` (pass ``rng``, a
``random.Random``, for repeatable synthetic data). Uniqueness is left to the
database's unique constraint, which is the only check that holds under concurrency::

    certificate = Certificate(issued_on=..., expires_on=..., body=body, category=category, ...)
    issue_certificate_number(certificate)  # saves it with a fresh, unique number
    trace = issue_trace_code(certificate, issued_by=request.user)

or, for any model and generator, ``issue_unique(instance, "field", generate)``.
"""

import enum
import secrets
import unicodedata
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

CERTIFICATE_LENGTH = 17
TRACE_LENGTH = 23
USCC_LENGTH = 18
PREFIX_LENGTH = 11  # G + year + body + category
FIRST_YEAR = 2016  # the green product certification scheme began in December 2016

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUES = {character: value for value, character in enumerate(USCC_ALPHABET)}

# Dashes that are not in Unicode's "Pd" category but get typed for a hyphen.
_EXTRA_DASHES = frozenset("\u2212\u2043\u02d7\u30fc\uff70")


class CodeKind(enum.Enum):
    CERTIFICATE = "certificate"
    TRACE = "trace"
    USCC = "uscc"


def _format_lazy(template, **params):
    """Translate ``template`` when the message is read, not when it is made, so an
    error raised in one request reads right in the language it is shown in."""
    return lazy(lambda: str(template) % params, str)()


class CodeError(ValueError):
    """A code that does not fit its layout.

    ``code`` is a machine word for APIs and tests ("empty", "bad_length",
    "bad_character", "bad_prefix", "bad_year", "bad_check_character",
    "bad_reference", "unknown_layout"); ``message`` says the same to a person;
    ``kind`` is the layout the input nearly matches (or None); ``value`` is the
    normalised input.
    """

    def __init__(self, code, message, *, kind=None, value=""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.kind = kind
        self.value = value

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class ParsedCode:
    kind: CodeKind
    value: str


def _is_dropped(character):
    category = unicodedata.category(character)
    return (
        character.isspace()
        or category in {"Zs", "Zl", "Zp", "Pd", "Cf", "Cc"}
        or character in _EXTRA_DASHES
        or character == "-"
    )


def normalise(raw):
    """Fold full-width characters to ASCII (NFKC), drop every space, hyphen, dash
    and invisible formatting character, and upper-case what is left."""
    value = "" if raw is None else str(raw)
    for _attempt in range(5):
        folded = unicodedata.normalize("NFKC", value).upper()
        folded = unicodedata.normalize("NFKC", "".join(c for c in folded if not _is_dropped(c)))
        if folded == value:
            break
        value = folded
    return value


def _is_digits(text):
    return text.isascii() and text.isdigit()


def _show(character):
    if character.isprintable() and not unicodedata.category(character).startswith("M"):
        return character
    return f"U+{ord(character):04X}"


def _latest_year():
    return timezone.localdate().year + 1


# --- validation ---------------------------------------------------------------------


def _check_prefixed(value, kind):
    """Certificate numbers and trace codes: G, a plausible year, then digits."""
    if kind is CodeKind.CERTIFICATE:
        length = CERTIFICATE_LENGTH
        length_message = _("A certificate number has 17 characters: G, then 16 digits. You typed %(count)s.")
        prefix_message = _("A certificate number starts with the letter G, then 16 digits.")
        digit_message = _(
            "A certificate number has only digits after the G, but character %(position)s is “%(character)s”."
        )
    else:
        length = TRACE_LENGTH
        length_message = _("A trace code has 23 characters: G, then 22 digits. You typed %(count)s.")
        prefix_message = _("A trace code starts with the letter G, then 22 digits.")
        digit_message = _("A trace code has only digits after the G, but character %(position)s is “%(character)s”.")

    if not value:
        raise CodeError("empty", _("Type a code to check."), kind=kind, value=value)
    if not value.startswith("G"):
        raise CodeError("bad_prefix", prefix_message, kind=kind, value=value)
    if len(value) != length:
        raise CodeError("bad_length", _format_lazy(length_message, count=len(value)), kind=kind, value=value)
    for position, character in enumerate(value[1:], start=2):
        if not ("0" <= character <= "9"):
            raise CodeError(
                "bad_character",
                _format_lazy(digit_message, position=position, character=_show(character)),
                kind=kind,
                value=value,
            )
    year = int(value[1:5])
    latest = _latest_year()
    if not FIRST_YEAR <= year <= latest:
        raise CodeError(
            "bad_year",
            _format_lazy(
                _("Characters 2 to 5 are the year of issue, between %(first)s and %(last)s, not %(year)s."),
                first=FIRST_YEAR,
                last=latest,
                year=year,
            ),
            kind=kind,
            value=value,
        )
    return value


def validate_certificate_number(raw):
    """Return the normalised certificate number or raise :class:`CodeError`."""
    return _check_prefixed(normalise(raw), CodeKind.CERTIFICATE)


def validate_trace_code(raw):
    """Return the normalised trace code or raise :class:`CodeError`."""
    return _check_prefixed(normalise(raw), CodeKind.TRACE)


def uscc_check_character(first17):
    """The 18th character of a USCC whose first 17 characters are ``first17``."""
    if len(first17) != USCC_LENGTH - 1:
        raise ValueError("a USCC check character is computed from 17 characters")
    total = sum(_USCC_VALUES[character] * weight for character, weight in zip(first17, USCC_WEIGHTS, strict=True))
    check = 31 - total % 31
    return USCC_ALPHABET[0 if check == 31 else check]


def _check_uscc(value):
    kind = CodeKind.USCC
    if not value:
        raise CodeError("empty", _("Type a code to check."), kind=kind, value=value)
    if len(value) != USCC_LENGTH:
        raise CodeError(
            "bad_length",
            _format_lazy(_("A unified social credit code has 18 characters. You typed %(count)s."), count=len(value)),
            kind=kind,
            value=value,
        )
    for position, character in enumerate(value, start=1):
        if character not in _USCC_VALUES:
            raise CodeError(
                "bad_character",
                _format_lazy(
                    _(
                        "A unified social credit code uses digits and capital letters other than I, O, S, V "
                        "and Z, but character %(position)s is “%(character)s”."
                    ),
                    position=position,
                    character=_show(character),
                ),
                kind=kind,
                value=value,
            )
    expected = uscc_check_character(value[:-1])
    if value[-1] != expected:
        raise CodeError(
            "bad_check_character",
            _format_lazy(
                _(
                    "The last character of this credit code should be %(expected)s, not %(actual)s: "
                    "check for a typing mistake."
                ),
                expected=expected,
                actual=value[-1],
            ),
            kind=kind,
            value=value,
        )
    return value


def validate_uscc(raw):
    """Return the normalised USCC or raise :class:`CodeError`."""
    return _check_uscc(normalise(raw))


_VALIDATORS = {
    CodeKind.CERTIFICATE: lambda value: _check_prefixed(value, CodeKind.CERTIFICATE),
    CodeKind.TRACE: lambda value: _check_prefixed(value, CodeKind.TRACE),
    CodeKind.USCC: _check_uscc,
}


def _nearest_kind(value):
    """The layout a normalised string most resembles, or None."""
    if value.startswith("G"):
        return CodeKind.CERTIFICATE if len(value) <= 20 else CodeKind.TRACE
    if _is_digits(value):
        # Most often a certificate number or trace code typed without its G.
        if len(value) == CERTIFICATE_LENGTH - 1:
            return CodeKind.CERTIFICATE
        if len(value) >= 20:
            return CodeKind.TRACE
    if len(value) >= 12 and all(character in _USCC_VALUES for character in value):
        return CodeKind.USCC
    if 15 <= len(value) <= 21:
        return CodeKind.USCC
    return None


def parse_code(raw):
    """Normalise ``raw`` and say which code it is.

    Returns a :class:`ParsedCode`; raises :class:`CodeError` naming the layout the
    input nearly matches and what is wrong with it.
    """
    value = normalise(raw)
    if not value:
        raise CodeError("empty", _("Type a code to check."), value=value)
    if (
        len(value) == USCC_LENGTH
        and all(character in _USCC_VALUES for character in value)
        and not (value.startswith("G") and _is_digits(value[1:]))
    ):
        return ParsedCode(CodeKind.USCC, _check_uscc(value))
    kind = _nearest_kind(value)
    if kind is None:
        raise CodeError(
            "unknown_layout",
            _(
                "This is not a certificate number (G and 16 digits), a trace code (G and 22 digits) "
                "or a unified social credit code (18 characters)."
            ),
            value=value,
        )
    return ParsedCode(kind, _VALIDATORS[kind](value))


# --- generation ---------------------------------------------------------------------


def _random_digits(count, rng):
    """``count`` uniformly random decimal digits, drawn in one call (a tenth of the
    time of drawing them one by one, which matters for millions of trace codes)."""
    value = secrets.randbelow(10**count) if rng is None else rng.randrange(10**count)
    return f"{value:0{count}d}"


def _prefix(year, body_code, category_code):
    year = int(year)
    body_code = str(body_code)
    category_code = str(category_code)
    if not FIRST_YEAR <= year <= 9999:
        raise ValueError(f"year of issue out of range: {year}")
    for name, code in (("body", body_code), ("category", category_code)):
        if len(code) != 3 or not code.isdigit():
            raise ValueError(f"{name} code must be 3 digits, not {code!r}")
    return f"G{year:04d}{body_code}{category_code}"


def generate_certificate_number(year, body_code, category_code, rng=None):
    """A new certificate number; random digits from :mod:`secrets` unless ``rng``."""
    return _prefix(year, body_code, category_code) + _random_digits(CERTIFICATE_LENGTH - PREFIX_LENGTH, rng)


def generate_trace_code(year, body_code, category_code, rng=None):
    """A new trace code; random digits from :mod:`secrets` unless ``rng``."""
    return _prefix(year, body_code, category_code) + _random_digits(TRACE_LENGTH - PREFIX_LENGTH, rng)


def generate_uscc(rng=None, region_code="110000"):
    """A well-formed USCC for synthetic data: registered with market regulation
    (``9``), an enterprise (``1``), the region, a random organisation code, then the
    check character."""
    region_code = str(region_code)
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError(f"region code must be 6 digits, not {region_code!r}")
    chooser = secrets.choice if rng is None else rng.choice
    organisation = "".join(chooser(USCC_ALPHABET) for _position in range(9))
    first17 = f"91{region_code}{organisation}"
    return first17 + uscc_check_character(first17)


# --- issuing unique codes -----------------------------------------------------------


class CodeSpaceExhausted(RuntimeError):
    """Every attempt at a fresh code collided with an existing one."""


def issue_unique(instance, field, generate, *, attempts=10):
    """Save the unsaved ``instance`` with ``field`` set to ``generate()``, retrying
    with a new code when the database's unique constraint reports a collision.

    Each attempt runs in its own savepoint, so a collision never spoils the caller's
    transaction. An integrity error that is not a collision on ``field`` is raised.
    """
    model = type(instance)
    for _attempt in range(attempts):
        code = generate()
        setattr(instance, field, code)
        try:
            with transaction.atomic():
                instance.save(force_insert=True)
        except IntegrityError:
            instance.pk = None
            if not model._default_manager.filter(**{field: code}).exists():
                raise
            continue
        return instance
    raise CodeSpaceExhausted(f"no unique {model._meta.label}.{field} after {attempts} attempts")


def issue_certificate_number(certificate, *, rng=None, attempts=10):
    """Save a new certificate with a fresh number made from its issue year, body and
    category."""
    return issue_unique(
        certificate,
        "number",
        lambda: generate_certificate_number(
            certificate.issued_on.year, certificate.body.code, certificate.category.code, rng=rng
        ),
        attempts=attempts,
    )


def issue_trace_code(certificate, *, issued_by=None, rng=None, attempts=10):
    """Issue one trace code for ``certificate``: its number's year, body and category,
    then 12 random digits."""
    from lookup.models import TraceCode

    prefix = certificate.number[:PREFIX_LENGTH]
    return issue_unique(
        TraceCode(certificate=certificate, issued_by=issued_by),
        "code",
        lambda: prefix + _random_digits(TRACE_LENGTH - PREFIX_LENGTH, rng),
        attempts=attempts,
    )
