"""Properties of the code parsers (lookup.codes) over hostile text: every Unicode
category including lone surrogates, compatibility characters that NFKC expands,
invisible formatting characters. test_codes.py has the everyday properties; these
add the odd Unicode a scanner, a clipboard or an attacker may send."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.utils import timezone, translation

from lookup import codes
from lookup.codes import CodeError, CodeKind

CHECKS = (codes.parse_code, codes.validate_certificate_number, codes.validate_trace_code, codes.validate_uscc)
KINDS = {
    CodeKind.CERTIFICATE: (codes.generate_certificate_number, codes.validate_certificate_number),
    CodeKind.TRACE: (codes.generate_trace_code, codes.validate_trace_code),
}

# Every code point, lone surrogates included (a broken UTF-16 clipboard sends them).
any_character = st.characters(codec=None, exclude_categories=())
# Characters NFKC changes or removes: full-width and circled digits, ligatures,
# superscripts, the ideographic space, combining marks, zero-width characters.
tricky_character = st.sampled_from(
    "０１９Ｇｇ①⑴⒈²₃ﬁ㍻Ⅻ\u3000\u00a0\u200b\u200d\u2060\ufeff\u0301\u0308\u20dd\u2212\u30fc\uff0d\u2010\u00ad"
)
code_character = st.sampled_from("G0123456789ABCDHJKMNPQRTWXY-")
hostile_text = st.text(st.one_of(any_character, tricky_character, code_character), max_size=40)

years = st.integers(min_value=codes.FIRST_YEAR, max_value=timezone.localdate().year + 1)
three_digits = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")
seeds = st.integers(min_value=0, max_value=2**32)
invisible = st.sampled_from(["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3000", "\u00a0", "\u2212", "\u30fc"])


@settings(max_examples=400)
@given(hostile_text)
def test_hostile_text_raises_nothing_but_a_code_error_that_reads_in_both_languages(raw):
    for check in CHECKS:
        try:
            check(raw)
        except CodeError as error:
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    message = str(error.message)
                assert message
                assert "%(" not in message


@settings(max_examples=400)
@given(hostile_text)
def test_normalisation_is_idempotent_on_hostile_text(raw):
    once = codes.normalise(raw)
    assert codes.normalise(once) == once


@given(hostile_text)
def test_what_a_validator_accepts_is_normalised_and_validates_again(raw):
    for check in CHECKS[1:]:
        try:
            value = check(raw)
        except CodeError:
            continue
        assert value == codes.normalise(raw)
        assert check(value) == value


@given(st.sampled_from(list(KINDS)), years, three_digits, three_digits, seeds, st.data())
def test_valid_codes_round_trip_through_invisible_and_full_width_characters(kind, year, body, category, seed, data):
    generate, validate = KINDS[kind]
    code = generate(year, body, category, rng=random.Random(seed))
    typed = "".join(
        data.draw(st.sampled_from([character, chr(ord(character) + 0xFEE0)])) + data.draw(invisible | st.just(""))
        for character in code
    )
    assert validate(typed) == code
    assert codes.parse_code(typed) == codes.ParsedCode(kind, code)


@given(st.sampled_from(list(KINDS)), years, three_digits, three_digits, seeds, st.data())
def test_a_non_digit_in_place_of_a_digit_is_named_by_its_position(kind, year, body, category, seed, data):
    generate, validate = KINDS[kind]
    code = generate(year, body, category, rng=random.Random(seed))
    position = data.draw(st.integers(min_value=1, max_value=len(code) - 1))
    replacement = data.draw(st.sampled_from("ABCDEFGHJKLMNPQRTUWXY!#$%&*+/=?@^_~中"))
    changed = code[:position] + replacement + code[position + 1 :]

    with pytest.raises(CodeError) as raised:
        validate(changed)

    assert raised.value.code == "bad_character"
    assert f"character {position + 1} " in str(raised.value)


@given(seeds, st.integers(min_value=0, max_value=17), st.data())
def test_uscc_check_character_rejects_every_one_character_change(seed, position, data):
    uscc = codes.generate_uscc(random.Random(seed))
    replacement = data.draw(st.sampled_from(codes.USCC_ALPHABET.replace(uscc[position], "")))
    changed = uscc[:position] + replacement + uscc[position + 1 :]

    with pytest.raises(CodeError) as raised:
        codes.validate_uscc(changed)

    assert raised.value.code == "bad_check_character"


@given(seeds)
def test_uscc_check_character_is_the_one_the_standard_computes(seed):
    uscc = codes.generate_uscc(random.Random(seed))
    weighted = sum(
        codes.USCC_ALPHABET.index(character) * weight
        for character, weight in zip(uscc[:17], codes.USCC_WEIGHTS, strict=True)
    )
    assert (weighted + codes.USCC_ALPHABET.index(uscc[17])) % 31 == 0
