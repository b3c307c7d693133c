import pytest

from search.chinese import pinyin_words, query_words, segment


def test_segment_splits_a_chinese_title_into_words():
    assert segment("绿色产品认证实施规则").split() == ["绿色", "产品", "认证", "产品认证", "实施", "规则"]


def test_segment_keeps_the_short_word_inside_a_long_one():
    assert "冰箱" in segment("家用电冰箱").split()


def test_segment_leaves_text_without_chinese_unchanged():
    assert segment("Green products, rules.") == "Green products, rules."


def test_query_words_drop_a_compound_covered_by_its_parts():
    assert query_words("产品认证") == ["产品", "认证"]


def test_query_words_keep_a_word_its_parts_do_not_cover():
    assert query_words("电冰箱") == ["冰箱", "电冰箱"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('GB/T "35601" AND NOT *', ["GB", "T", "35601", "AND", "NOT"]),
        ("认证，规则！", ["认证", "规则"]),
        ("！？…", []),
        ("", []),
    ],
)
def test_query_words_drop_punctuation(query, words):
    assert query_words(query) == words


def test_query_words_are_distinct():
    assert query_words("认证 认证 rules rules") == ["认证", "rules"]


def test_pinyin_words_spell_each_chinese_word_without_tones():
    assert pinyin_words("绿色 产品 认证 认证") == "lvse chanpin renzheng"


def test_pinyin_words_leave_out_single_characters_and_latin_words():
    assert pinyin_words("与 GB products") == ""
