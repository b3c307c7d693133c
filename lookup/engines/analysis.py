"""Text analysis shared by the lookup engines, in plain Python.

Indexed text and query text go through the same functions, so what a reader types
meets what was indexed whatever the engine:

* Chinese runs become overlapping character bigrams ("电冰箱" → "电冰 冰箱", then the
  last character alone, "箱"). A query run becomes the phrase of its bigrams, which
  matches exactly where the run occurs inside a longer name: "冰箱" finds
  "海川变频节能家用电冰箱", "海川建材" finds "青岛海川建材股份有限公司". jieba
  splits a query run into words when the whole run does not occur ("海川冰箱" → "海川" and "冰箱").
* Chinese words (jieba) and all-Chinese brands also give their toneless pinyin
  ("bingxiang", "haichuan").
* Latin words are case-folded and lightly stemmed, so singular and plural meet
  ("refrigerators" → "refrigerator").
* Model numbers are folded: case, hyphens, slashes, dots and spaces dropped
  ("BCD-470W" → "bcd470w"), and their letter and digit parts are kept too.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")
HAN_CHAR = re.compile(f"[{HAN}]")
# A chunk of Latin letters and digits, possibly joined by model-number punctuation.
LATIN_CHUNK = re.compile(r"[a-z0-9]+(?:[-/._+][a-z0-9]+)*")
LATIN_WORD = re.compile(r"[a-z0-9]+")
MODEL_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Letter runs and digit runs inside a model number: "bcd470w" → "bcd", "470", "w".
ALPHA_OR_DIGITS = re.compile(r"[a-z]+|[0-9]+")

ENGLISH_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "the", "to", "with"})


def fold(text):
    """NFKC (full-width to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def fold_model(text):
    """A model number without case or separators: "BCD-470W/G" → "bcd470wg"."""
    return MODEL_SEPARATORS.sub("", fold(text))


def matches_as_prefix(model_token):
    """Whether a piece of a model number typed in a query matches indexed pieces
    that start with it ("bcd470" finds "BCD-470W"). A piece of digits alone matches
    whole: the digit runs of every model are indexed on their own ("470" finds
    "BCD-470W"), and as a prefix "600" would match every number that starts with it
    (6000, 6001, 600240200 ...), which makes a size such as "600×240" as slow as a
    query for every model."""
    return not model_token.isdigit()


def stem(word):
    """A light English stemmer that maps plural to singular ("boxes" → "box",
    "batteries" → "battery", "lamps" → "lamp"); words with digits are left alone."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def han_runs(text):
    return HAN_RUN.findall(text or "")


def bigrams(run):
    """Overlapping character pairs of a Chinese run, then its last character alone:
    "电冰箱" → ["电冰", "冰箱", "箱"]; a single character gives itself."""
    if len(run) == 1:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)] + [run[-1]]


@lru_cache(maxsize=100_000)
def han_tokens(text):
    """The bigram stream of every Chinese run of ``text``, runs kept apart."""
    return tuple(token for run in han_runs(text) for token in bigrams(run))


@lru_cache(maxsize=200_000)
def pinyin(word):
    return "".join(lazy_pinyin(word))


@lru_cache(maxsize=200_000)
def jieba_words(text):
    """jieba's precise segmentation of ``text``, once per text: pinyin and
    autocomplete keys both start from it."""
    return tuple(jieba.cut(text))


def search_words(text):
    """jieba's search-mode words of ``text`` (as ``jieba.cut_for_search``, from the
    cached precise segmentation): each word, preceded by the dictionary words of two
    and three characters inside it."""
    precise = jieba_words(text)
    frequencies = jieba.dt.FREQ
    words = []
    for word in precise:
        if len(word) > 2:
            words.extend(word[i : i + 2] for i in range(len(word) - 1) if frequencies.get(word[i : i + 2]))
        if len(word) > 3:
            words.extend(word[i : i + 3] for i in range(len(word) - 2) if frequencies.get(word[i : i + 3]))
        words.append(word)
    return words


@lru_cache(maxsize=100_000)
def pinyin_tokens(text):
    """Toneless pinyin of the jieba words (two characters or more) of ``text``."""
    if not HAN_CHAR.search(text or ""):
        return ()
    words = [word for word in search_words(text) if len(word) >= 2 and HAN_RUN.fullmatch(word)]
    return tuple(pinyin(word) for word in dict.fromkeys(words))


@lru_cache(maxsize=100_000)
def latin_tokens(text):
    """Stemmed Latin words, and the folded form of any chunk that holds a digit
    (a model number inside a name: "BCD-470W" gives "bcd", "470w" and "bcd470w")."""
    tokens = []
    for chunk in LATIN_CHUNK.findall(fold(text)):
        for word in LATIN_WORD.findall(chunk):
            if word not in ENGLISH_STOP_WORDS:
                tokens.append(stem(word))
        if any(character.isdigit() for character in chunk):
            folded = fold_model(chunk)
            if folded not in tokens:
                tokens.append(folded)
    return tuple(tokens)


@lru_cache(maxsize=100_000)
def model_tokens(model):
    """A model number's folded form, its separated parts and the letter and digit
    runs of both: "BCD-470W" → "bcd470w", "bcd", "470w", "470", "w"; "HF-PE3914" →
    "hfpe3914", "hf", "pe3914", "hfpe", "3914", "pe" (so "hf pe 3914" finds it)."""
    folded = fold_model(model)
    if not folded:
        return ()
    separated = LATIN_WORD.findall(fold(model))
    parts = [folded, *separated]
    parts.extend(ALPHA_OR_DIGITS.findall(folded))
    parts.extend(run for part in separated for run in ALPHA_OR_DIGITS.findall(part))
    return tuple(dict.fromkeys(parts))


# Columns of an analysed document: each a list of tokens, in order.
TEXT_COLUMNS = (
    "product_han",
    "brand_han",
    "company_han",
    "category_han",
    "product_latin",
    "brand_latin",
    "company_latin",
    "category_latin",
    "models",
    "pinyin",
)
# Relative weights of a match in each column.
COLUMN_WEIGHTS = {
    "product_han": 6.0,
    "brand_han": 8.0,
    "company_han": 4.0,
    "category_han": 1.5,
    "product_latin": 6.0,
    "brand_latin": 8.0,
    "company_latin": 4.0,
    "category_latin": 1.5,
    "models": 8.0,
    "pinyin": 1.0,
}
HAN_COLUMNS = ("product_han", "brand_han", "company_han", "category_han")
LATIN_COLUMNS = ("product_latin", "brand_latin", "company_latin", "category_latin", "models", "pinyin")


def _company_names(document):
    names = []
    for role in ("client", "producer", "manufacturer"):
        names.append(document.get(f"{role}_name", ""))
        names.append(document.get(f"{role}_name_en", ""))
    return tuple(name for name in dict.fromkeys(names) if name)


def _joined(tokens_per_text):
    return [token for tokens in tokens_per_text for token in tokens]


@lru_cache(maxsize=50_000)
def _texts_analysis(texts):
    """The Chinese bigrams, Latin words and pinyin words of a tuple of texts (the
    names of a document's companies, its product names, its category names): many
    documents share them, so a rebuild analyses each tuple once."""
    return (
        tuple(_joined(han_tokens(text) for text in texts)),
        tuple(_joined(latin_tokens(text) for text in texts)),
        tuple(_joined(pinyin_tokens(text) for text in texts)),
    )


def analyse_document(document):
    """Column name → token list for a :func:`~lookup.engines.base.certificate_document`."""
    product_han, product_latin, product_pinyin = _texts_analysis(
        (document.get("product_name", ""), document.get("product_name_en", ""))
    )
    category_han, category_latin, _category_pinyin = _texts_analysis(
        (document.get("category_name", ""), document.get("category_name_en", ""))
    )
    company_han, company_latin, company_pinyin = _texts_analysis(_company_names(document))
    brand = document.get("brand", "")
    return {
        "product_han": list(product_han),
        "brand_han": list(han_tokens(brand)),
        "company_han": list(company_han),
        "category_han": list(category_han),
        "product_latin": list(product_latin),
        "brand_latin": [*latin_tokens(brand), *([pinyin(brand)] if HAN_RUN.fullmatch(brand or "") else [])],
        "company_latin": list(company_latin),
        "category_latin": list(category_latin),
        "models": _joined(model_tokens(model) for model in document.get("models", [])),
        "pinyin": list(dict.fromkeys([*product_pinyin, *pinyin_tokens(brand), *company_pinyin])),
    }


# --- queries ------------------------------------------------------------------------


@dataclass
class QueryTerm:
    """One thing a query asks for; every term of a query must match.

    ``kind`` is "han" (a Chinese run: ``phrase`` is its bigram stream, and
    ``alternatives`` the bigram streams of its jieba words when it has more than one),
    "word" (a Latin word: ``tokens`` its stemmed and plain forms) or "model" (a chunk
    with digits: ``tokens`` its folded form, matched as a prefix too).
    """

    kind: str
    text: str
    tokens: list = field(default_factory=list)
    phrase: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)

    def to_dict(self):
        return {
            "kind": self.kind,
            "text": self.text,
            "tokens": list(self.tokens),
            "phrase": list(self.phrase),
            "alternatives": [list(alternative) for alternative in self.alternatives],
        }


def _han_words(run):
    """jieba's precise segmentation of a run, single characters merged with their
    neighbours so no word is a lone character: "海川冰箱" → ["海川", "冰箱"]."""
    words = []
    pending = ""
    for word in jieba.cut(run):
        if len(word) == 1:
            pending += word
            continue
        if pending:
            if len(pending) == 1 and words:
                words[-1] += pending
            elif len(pending) == 1:
                word = pending + word
            else:
                words.append(pending)
            pending = ""
        words.append(word)
    if pending:
        if len(pending) == 1 and words:
            words[-1] += pending
        else:
            words.append(pending)
    return words


def _han_term(run):
    words = _han_words(run) if len(run) > 3 else [run]
    alternatives = [bigrams(word)[:-1] or [word] for word in words] if len(words) > 1 else []
    return QueryTerm(kind="han", text=run, phrase=bigrams(run)[:-1] or [run], alternatives=alternatives)


# Toneless pinyin syllables as pypinyin writes them ("lv" for lü): syllables typed
# apart ("hai chuan") are joined into words, as indexed pinyin is (:func:`_spaced_pinyin`).
_PINYIN_SYLLABLE_LIST = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can
    cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
    chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian
    diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou
    fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao
    he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong
    jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la
    lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv
    lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne
    nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan
    pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu
    qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen
    seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si
    song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui
    tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
    xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng
    zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
    zi zong zou zu zuan zui zun zuo
"""
PINYIN_SYLLABLES = frozenset(_PINYIN_SYLLABLE_LIST.split())


def query_terms(text):
    """The terms of a free-text query, in order, duplicates dropped."""
    terms = []
    seen = set()
    for piece in fold(text).split():
        position = 0
        for match in HAN_RUN.finditer(piece):
            terms.extend(_latin_terms(piece[position : match.start()]))
            terms.append(_han_term(match.group()))
            position = match.end()
        terms.extend(_latin_terms(piece[position:]))
    unique = []
    for term in terms:
        key = (term.kind, term.text)
        if key not in seen:
            seen.add(key)
            unique.append(term)
    return _spaced_pinyin(unique)


def _spaced_pinyin(terms):
    """Terms that are all single pinyin syllables, two to four of them, become the
    pinyin words they spell: two or three syllables one word ("hai chuan" →
    "haichuan", "jing shui qi" → "jingshuiqi"), four two words of two ("hai chuan
    bing xiang" → "haichuan", "bingxiang"), as most Chinese words are."""
    if not 2 <= len(terms) <= 4 or not all(term.kind == "word" and term.text in PINYIN_SYLLABLES for term in terms):
        return terms
    groups = [terms[:2], terms[2:]] if len(terms) == 4 else [terms]
    words = ["".join(term.text for term in group) for group in groups]
    return [QueryTerm(kind="word", text=word, tokens=[word]) for word in words]


def _latin_terms(text):
    terms = []
    for chunk in LATIN_CHUNK.findall(text):
        if any(character.isdigit() for character in chunk):
            terms.append(QueryTerm(kind="model", text=chunk, tokens=[fold_model(chunk)]))
            continue
        for word in LATIN_WORD.findall(chunk):
            if word in ENGLISH_STOP_WORDS and len(LATIN_WORD.findall(text)) > 1:
                continue
            terms.append(QueryTerm(kind="word", text=word, tokens=list(dict.fromkeys([stem(word), word]))))
    return terms


def has_han(text):
    return bool(HAN_CHAR.search(text or ""))


# --- typing mistakes ----------------------------------------------------------------


def typo_distance_allowed(word):
    """How many edits a Latin word may be off: none below 4 letters or with digits,
    one up to 7 letters, two from 8."""
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return 0
    return 1 if len(word) < 8 else 2


def word_variants(word):
    """``word`` with one letter deleted, every way, and with two deleted when the word
    is long enough for two mistakes (:func:`typo_distance_allowed`): the keys of a
    symmetric-delete spelling index (two words as many edits apart share a variant)."""
    once = [word[:index] + word[index + 1 :] for index in range(len(word))]
    twice = []
    if typo_distance_allowed(word) >= 2:
        twice = [variant[:index] + variant[index + 1 :] for variant in once for index in range(len(variant))]
    return list(dict.fromkeys([*once, *twice]))


def levenshtein(first, second):
    """Edit distance, with a swap of neighbouring letters counted as one edit."""
    previous_previous = None
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, previous_previous[j - 2] + 1)
            current.append(cost)
        previous_previous, previous = previous, current
    return previous[-1]


# --- autocomplete ---------------------------------------------------------------------

SUGGESTION_FIELDS = ("product_name", "product_name_en", "brand", "client_name", "client_name_en")
MAX_KEYS_PER_SUGGESTION = 12


def suggestion_texts(document):
    """The texts a document offers to autocomplete: names, brand and models."""
    texts = [document.get(name, "") for name in SUGGESTION_FIELDS]
    texts.extend(document.get("models", []))
    return [text for text in dict.fromkeys(text.strip() for text in texts) if text]


@lru_cache(maxsize=100_000)
def suggestion_keys(text):
    """Folded prefixes-to-be under which ``text`` is found: the whole text, the text
    from each later word on (in Chinese also from each dictionary word inside a longer
    one, so "冰箱" suggests "家用电冰箱"), and a model number without its separators."""
    folded = fold(text)
    keys = [folded]
    if has_han(folded):
        keys.extend(folded[start:] for start in _han_word_starts(folded))
    else:
        keys.extend(folded[match.start() :] for match in LATIN_WORD.finditer(folded) if match.start() > 0)
    if any(character.isdigit() for character in folded):
        keys.append(fold_model(folded))
    return tuple(key for key in dict.fromkeys(keys) if key.strip())[:MAX_KEYS_PER_SUGGESTION]


def _han_word_starts(text):
    """Where the words of ``text`` begin after its start: each word of jieba's precise
    segmentation, and each dictionary word inside a word of three or more characters."""
    starts = set()
    offset = 0
    for word in jieba_words(text):
        if offset:
            starts.add(offset)
        if len(word) > 2:
            starts.update(offset + word.find(inner) for inner in search_words(word) if word.find(inner) > 0)
        offset += len(word)
    return sorted(starts)


# --- highlighting ---------------------------------------------------------------------

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
HIGHLIGHT_FIELDS = ("product_name", "product_name_en", "brand", "models", "client_name", "client_name_en")


def _term_patterns(term):
    if term.kind == "han":
        words = [term.text]
        words.extend(
            alternative[0] + "".join(gram[1:] for gram in alternative[1:]) for alternative in term.alternatives
        )
        return [re.compile(re.escape(word)) for word in words]
    if term.kind == "model":
        return [
            re.compile(r"[-/._ ]*".join(re.escape(character) for character in token), re.IGNORECASE)
            for token in term.tokens
            if token
        ]
    return [re.compile(rf"(?<![a-z0-9]){re.escape(token)}[a-z]*", re.IGNORECASE) for token in term.tokens]


def highlight_text(text, patterns):
    """``text`` HTML-escaped with what ``patterns`` match wrapped in ``<mark>``, or ""
    when nothing matches."""
    from django.utils.html import escape

    spans = []
    for pattern in patterns:
        spans.extend(match.span() for match in pattern.finditer(text) if match.end() > match.start())
    if not spans:
        return ""
    spans.sort()
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces = []
    position = 0
    for start, end in merged:
        pieces.append(escape(text[position:start]))
        pieces.append(MARK_OPEN + escape(text[start:end]) + MARK_CLOSE)
        position = end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def highlight_document(document, terms):
    """Field name → highlighted fragments of the fields where ``terms`` match."""
    patterns = [pattern for term in terms for pattern in _term_patterns(term)]
    highlight = {}
    for name in HIGHLIGHT_FIELDS:
        value = document.get(name)
        values = value if isinstance(value, list) else [value or ""]
        fragments = [fragment for fragment in (highlight_text(text, patterns) for text in values if text) if fragment]
        if fragments:
            highlight[name] = fragments
    return highlight
