import random
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.db import connection
from django.utils import timezone

from lookup import codes
from lookup.codes import CodeError, CodeKind
from lookup.models import Certificate, TraceCode

from .factories import CertificateFactory, CertificationBodyFactory, OrganisationFactory, ProductCategoryFactory

VALID_CERTIFICATE = "G2024001011382914"
VALID_TRACE = "G2024001011000418273941"
VALID_USCC = "91350100M000100Y43"

years = st.integers(min_value=codes.FIRST_YEAR, max_value=timezone.localdate().year + 1)
three_digits = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
seeds = st.integers(min_value=0, max_value=2**32)
region_codes = st.integers(min_value=110000, max_value=659999).map(str)


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- normalisation ------------------------------------------------------------------


@given(st.text())
def test_normalisation_is_idempotent(raw):
    once = codes.normalise(raw)
    assert codes.normalise(once) == once


@given(st.sampled_from([VALID_CERTIFICATE, VALID_TRACE, VALID_USCC]), st.data())
def test_typing_variants_of_a_valid_code_normalise_to_it(code, data):
    separators = st.sampled_from([" ", "-", "\u3000", "\u00a0", "\u2010", "\u2013", "\u2014", "\uff0d", "\t", ""])
    pieces = []
    for character in code:
        character = data.draw(st.sampled_from([character, character.lower(), full_width(character)]))
        pieces.append(character + data.draw(separators))
    typed = data.draw(separators) + "".join(pieces)
    assert codes.normalise(typed) == code


def test_full_width_certificate_number_is_folded_to_ascii():
    assert codes.validate_certificate_number("Ｇ２０２４００１０１１３８２９１４") == VALID_CERTIFICATE


# --- round trips --------------------------------------------------------------------


@given(years, three_digits, three_digits, seeds)
def test_generated_certificate_numbers_validate(year, body, category, seed):
    number = codes.generate_certificate_number(year, body, category, rng=random.Random(seed))
    assert codes.validate_certificate_number(number) == number
    assert codes.parse_code(number) == codes.ParsedCode(CodeKind.CERTIFICATE, number)


@given(years, three_digits, three_digits, seeds)
def test_generated_trace_codes_validate(year, body, category, seed):
    code = codes.generate_trace_code(year, body, category, rng=random.Random(seed))
    assert codes.validate_trace_code(code) == code
    assert codes.parse_code(code) == codes.ParsedCode(CodeKind.TRACE, code)


@given(seeds, region_codes)
def test_generated_usccs_validate(seed, region):
    uscc = codes.generate_uscc(random.Random(seed), region_code=region)
    assert codes.validate_uscc(uscc) == uscc
    assert codes.parse_code(uscc) == codes.ParsedCode(CodeKind.USCC, uscc)


def test_same_seed_gives_same_codes():
    first = codes.generate_certificate_number(2024, "001", "011", rng=random.Random(7))
    assert codes.generate_certificate_number(2024, "001", "011", rng=random.Random(7)) == first


def test_codes_keep_year_body_and_category():
    assert codes.generate_certificate_number(2024, "003", "101").startswith("G2024003101")
    assert codes.generate_trace_code(2024, "003", "101").startswith("G2024003101")


def test_generating_with_a_malformed_body_code_is_refused():
    with pytest.raises(ValueError, match="body code"):
        codes.generate_certificate_number(2024, "1", "011")


# --- USCC check character -----------------------------------------------------------


def test_uscc_check_character_matches_a_published_code():
    assert codes.uscc_check_character(VALID_USCC[:17]) == "3"


@given(seeds, st.integers(min_value=0, max_value=17), st.sampled_from(codes.USCC_ALPHABET + "IOSVZ"))
def test_any_single_character_change_to_a_uscc_is_detected(seed, position, replacement):
    uscc = codes.generate_uscc(random.Random(seed))
    if uscc[position] == replacement:
        return
    changed = uscc[:position] + replacement + uscc[position + 1 :]
    with pytest.raises(CodeError) as raised:
        codes.validate_uscc(changed)
    assert raised.value.code in {"bad_check_character", "bad_character"}


# --- junk ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text())
def test_junk_raises_only_code_errors(raw):
    for check in (codes.parse_code, codes.validate_certificate_number, codes.validate_trace_code, codes.validate_uscc):
        try:
            check(raw)
        except CodeError as error:
            assert str(error)
            assert error.value == codes.normalise(raw)


@given(st.text(alphabet="G0123456789ABCDHJKMNPQRTXY -", min_size=1, max_size=30))
def test_code_like_junk_raises_only_code_errors(raw):
    try:
        codes.parse_code(raw)
    except CodeError as error:
        assert error.code


# --- error messages -----------------------------------------------------------------


def parse_error(raw, check=codes.parse_code):
    with pytest.raises(CodeError) as raised:
        check(raw)
    return raised.value


def test_short_certificate_number_says_how_long_it_should_be():
    error = parse_error("G20240010113829")
    assert (error.code, error.kind) == ("bad_length", CodeKind.CERTIFICATE)
    assert str(error) == "A certificate number has 17 characters: G, then 16 digits. You typed 15."


def test_long_trace_code_says_how_long_it_should_be():
    error = parse_error(VALID_TRACE + "5")
    assert (error.code, error.kind) == ("bad_length", CodeKind.TRACE)
    assert "23 characters" in str(error)
    assert "You typed 24" in str(error)


def test_letter_o_in_a_certificate_number_is_named():
    error = parse_error("G2024OO1011382914")
    assert (error.code, error.kind) == ("bad_character", CodeKind.CERTIFICATE)
    assert "character 6 is “O”" in str(error)


def test_certificate_number_without_its_g_says_so():
    error = parse_error(VALID_CERTIFICATE[1:])
    assert (error.code, error.kind) == ("bad_prefix", CodeKind.CERTIFICATE)
    assert "starts with the letter G" in str(error)


def test_certificate_number_from_before_the_scheme_is_refused():
    error = parse_error("G2010001011382914")
    assert error.code == "bad_year"
    assert "2010" in str(error)


def test_uscc_with_a_wrong_check_character_names_the_right_one():
    error = parse_error("91350100M000100Y44")
    assert (error.code, error.kind) == ("bad_check_character", CodeKind.USCC)
    assert str(error) == "The last character of this credit code should be 3, not 4: check for a typing mistake."


def test_uscc_with_a_forbidden_letter_names_it():
    error = parse_error("91350100M000100I43")
    assert (error.code, error.kind) == ("bad_character", CodeKind.USCC)
    assert "character 16 is “I”" in str(error)


def test_short_uscc_says_how_long_it_should_be():
    error = parse_error("91350100M000100Y4", check=codes.validate_uscc)
    assert error.code == "bad_length"
    assert "18 characters" in str(error)
    assert "You typed 17" in str(error)


def test_empty_input_asks_for_a_code():
    assert parse_error("  - ").code == "empty"


def test_unrecognisable_input_names_the_three_layouts():
    error = parse_error("hello")
    assert (error.code, error.kind) == ("unknown_layout", None)
    assert "certificate number" in str(error)


# --- issuing unique codes -----------------------------------------------------------


def unsaved_certificate(**values):
    return CertificateFactory.build(
        number="",
        body=CertificationBodyFactory(),
        category=ProductCategoryFactory(),
        client=OrganisationFactory(),
        producer=None,
        manufacturer=None,
        **values,
    )


@pytest.mark.django_db
def test_issued_certificate_number_is_saved_and_valid():
    certificate = codes.issue_certificate_number(unsaved_certificate())
    certificate.refresh_from_db()
    assert codes.validate_certificate_number(certificate.number) == certificate.number
    assert (
        certificate.number[1:11] == f"{certificate.issued_on.year}{certificate.body.code}{certificate.category.code}"
    )


@pytest.mark.django_db
def test_issuing_retries_after_a_collision():
    taken = CertificateFactory()
    candidates = iter([taken.number, taken.number, "G2024500500000001"])
    certificate = codes.issue_unique(unsaved_certificate(), "number", lambda: next(candidates))
    assert certificate.number == "G2024500500000001"
    assert Certificate.objects.count() == 2


@pytest.mark.django_db
def test_issuing_gives_up_when_every_code_is_taken():
    taken = CertificateFactory()
    with pytest.raises(codes.CodeSpaceExhausted):
        codes.issue_unique(unsaved_certificate(), "number", lambda: taken.number, attempts=3)
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_issued_trace_code_shares_its_certificates_prefix():
    certificate = CertificateFactory()
    trace = codes.issue_trace_code(certificate)
    assert TraceCode.objects.get(pk=trace.pk).code.startswith(certificate.number[:11])
    assert codes.validate_trace_code(trace.code) == trace.code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuing_never_duplicates_a_code():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    certificate = CertificateFactory()
    prefix = certificate.number[:11]
    # A tiny code space (10 codes) makes collisions certain.
    space = [f"{prefix}{n:012d}" for n in range(10)]
    issued, failures = [], []

    def issue(seed):
        rng = random.Random(seed)
        try:
            for _round in range(2):
                trace = codes.issue_unique(
                    TraceCode(certificate=certificate), "code", lambda: rng.choice(space), attempts=50
                )
                issued.append(trace.code)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(issued) == len(set(issued)) == 8


def test_missing_input_is_an_empty_code():
    with pytest.raises(CodeError) as raised:
        codes.parse_code(None)
    assert raised.value.code == "empty"
