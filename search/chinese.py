"""Chinese word segmentation for full-text search.

Search backends that split text on spaces and punctuation (Wagtail's database
backends, a stock Elasticsearch analyser) see a run of Chinese characters as one
word, so "认证" does not match "绿色产品认证实施规则". Segmenting with jieba before
indexing and before querying gives them words: "绿色 产品 认证 实施 规则".
Indexed text also carries the toneless pinyin of its Chinese words ("renzheng"), so a
reader without a Chinese keyboard can search by pinyin.
"""

import logging
import re

import jieba
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
# A run of letters or digits: what every backend's tokeniser keeps as (part of) a word.
WORD = re.compile(r"[^\W_]+")


def segment(text):
    """Return ``text`` with Chinese runs split into space-separated words.

    Uses jieba's search mode, which also emits the shorter words inside long ones
    ("节能家用电冰箱" gives "节能 家用 电冰箱 冰箱"), so a two-character query finds
    the longer word. Text without Chinese characters comes back unchanged.
    """
    if not text or not HAN.search(text):
        return text or ""
    words = (word.strip() for word in jieba.cut_for_search(text))
    return " ".join(word for word in words if word)


def pinyin_words(segmented):
    """The toneless pinyin of each distinct Chinese word of two or more characters in
    segmented text, written as one word: "绿色 产品 认证" gives "lvse chanpin renzheng".
    Single characters are left out: their pinyin matches too much."""
    words = dict.fromkeys(word for word in segmented.split() if HAN_WORD.fullmatch(word))
    return " ".join("".join(lazy_pinyin(word)) for word in words)


def query_words(text):
    """Return the distinct words of a search query, in order, for an all-words search.

    Chinese runs are segmented in jieba's search mode, like the indexed text; a
    compound such as "产品认证" is then dropped when the shorter words found inside it
    ("产品", "认证") cover all its characters, so the query still matches text where
    jieba drew the word boundaries differently. Punctuation is dropped: no backend
    indexes it, and some query parsers give it a meaning.
    """
    words = []
    for run in WORD.findall(text or ""):
        if not HAN.search(run):
            words.append(run)
            continue
        tokens = [
            (word, start, end) for word, start, end in jieba.tokenize(run, mode="search") if WORD.fullmatch(word)
        ]
        for word, start, end in tokens:
            inner = set()
            for _other, other_start, other_end in tokens:
                if start <= other_start and other_end <= end and other_end - other_start < end - start:
                    inner.update(range(other_start, other_end))
            if not inner.issuperset(range(start, end)):
                words.append(word)
    return list(dict.fromkeys(words))


class SegmentedSearchMixin:
    """For indexed models: ``search_text_segmented`` returns the segmented text of the
    fields named in ``segmented_search_fields``, then the pinyin of its Chinese words;
    add it as an ``index.SearchField("search_text_segmented")`` to ``search_fields``."""

    segmented_search_fields = ("title",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Wagtail's Elasticsearch backend names the index field of a method after the
        # class in the MRO whose __dict__ defines it, and reads that class's ``_meta``:
        # a plain mixin has none. Giving every subclass the method it inherits makes
        # each model define its own.
        if "search_text_segmented" not in cls.__dict__:
            cls.search_text_segmented = cls.search_text_segmented

    def search_text_segmented(self):
        parts = []
        for name in self.segmented_search_fields:
            value = getattr(self, name, "")
            if callable(value):
                value = value()
            parts.append(segment(str(value or "")))
        text = " ".join(part for part in parts if part)
        return " ".join(part for part in (text, pinyin_words(text)) if part)
