"""The embedded lookup engine: SQLite FTS5 in a file of its own, no server.

The index lives in ``DATA_DIR/lookup-index.sqlite3``, separate from the main
database (which may be SQLite or PostgreSQL), in WAL mode so searches read while
changes are written. Text is analysed in Python (:mod:`lookup.engines.analysis`) and
stored as space-separated tokens, one FTS5 column per kind of text; FTS5's
``unicode61`` tokeniser then only splits on the spaces.

``lookup-index.sqlite3`` is a symbolic link to one *generation* of the index,
``lookup-index.sqlite3.<stamp>``. :meth:`EmbeddedEngine.rebuild` builds a new
generation beside it while searches keep reading the current one, then swaps the
link with :func:`os.replace` (atomic) and removes the old generation. Connections
are opened on the link's target, so each generation has its own ``-wal`` and
``-shm`` files, and every operation checks the link, reconnecting after a swap.
Writes made while a rebuild runs go to both generations.

Tables: ``certs`` (one row per certificate: its number, dates and filterable
fields), ``keys`` (the few bytes per certificate that counting, filtering and
valid-first ordering read for every match: a key of one character per filterable
value and the date it is valid until, see :func:`_count_and_facets`),
``facet_codes`` (which character stands for which value), ``docs``
(the document as JSON, for highlighting), ``fts`` (the analysed text, rowid =
``certs.id``, and a ``filters`` column of one token per filterable value, see
:func:`filter_tokens`),
``usccs`` (USCC → certificate, with the certificate's key, so that a company's
count and page read one range), ``suggestions`` and ``suggestion_keys``
(autocomplete), ``words`` and ``word_variants`` (the Latin vocabulary and its
one-deletion variants, for typo tolerance).
"""

# SQL here is put together from fixed fragments and generated placeholders; values
# always travel as parameters.
# ruff: noqa: S608

import contextlib
import functools
import json
import multiprocessing
import os
import sqlite3
import threading
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import NamedTuple

import jieba

from django.conf import settings

from .analysis import (
    COLUMN_WEIGHTS,
    HAN_COLUMNS,
    LATIN_COLUMNS,
    TEXT_COLUMNS,
    analyse_document,
    fold,
    highlight_document,
    levenshtein,
    matches_as_prefix,
    suggestion_keys,
    suggestion_texts,
    typo_distance_allowed,
    word_variants,
)
from .base import (
    FACETS,
    EngineHealth,
    EngineUnavailable,
    Hit,
    LookupEngine,
    SearchResults,
    certificate_document,
    certificate_documents,
)

INDEX_NAME = "lookup-index.sqlite3"
BUILDING_SUFFIX = ".building"
BATCH_SIZE = 2000
# Indexes a rebuild makes once its rows are in, rather than row by row.
BUILD_DEFERRED_INDEXES = (
    "certs_newest",
    "keys_valid",
    "keys_category",
    "keys_body",
    "keys_province",
    "keys_status",
    "keys_group",
    "keys_prefecture",
)
# Indexes of format 3 that filtering on ``keys`` made useless.
FORMAT_3_INDEXES = ("certs_status", "certs_category", "certs_group", "certs_body", "certs_region", "certs_province")
COUNT_CACHE_SIZE = 256
BUSY_TIMEOUT_MS = 10000
TYPO_VOCABULARY_COLUMNS = ("product_latin", "brand_latin", "company_latin", "category_latin", "pinyin")

# Raised whenever the tables change; a generation of another format is refused until
# rebuild_lookup_index makes a new one, or upgraded in place (formats 3 to 6).
SCHEMA_VERSION = 7
# The full-text column of each certificate's filterable values, one token each
# (:func:`filter_tokens`), which a filtered text query adds to its MATCH: FTS5 then
# walks only the matches inside the filters, instead of every match of the words,
# each looked up in ``keys`` and most of them dropped. Its bm25 weight is 0, and no
# text query names it.
FILTERS_COLUMN = "filters"
FTS_COLUMNS = (*TEXT_COLUMNS, FILTERS_COLUMN)
FTS_TABLE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    {", ".join(FTS_COLUMNS)},
    tokenize = "unicode61 remove_diacritics 0"
);
"""
# A company's certificates in the order of its page (newest first), each with its
# ``keys`` row's valid_until and facets, so that a USCC's count and page read one
# range of this table: not a row of ``certs`` and ``keys`` per certificate, which for
# a company of thousands are as many pages scattered over the file.
USCCS_TABLE = """
CREATE TABLE IF NOT EXISTS usccs (
    uscc TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    number TEXT NOT NULL,
    id INTEGER NOT NULL,
    valid_until TEXT NOT NULL,
    facets TEXT NOT NULL,
    PRIMARY KEY (uscc, issued_on DESC, number, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS usccs_id ON usccs (id);
"""
# The counts of broad text queries, kept up to date on every write (see
# :meth:`EmbeddedEngine._counting`): per FTS5 expression, its matches, how many carry
# each key character (JSON) and how many stored as valid expire on each date (JSON).
BROAD_COUNTS_TABLE = """
CREATE TABLE IF NOT EXISTS broad_counts (
    match TEXT PRIMARY KEY,
    total INTEGER NOT NULL,
    codes TEXT NOT NULL,
    valid_until TEXT NOT NULL
) WITHOUT ROWID;
"""
KEYS_TABLE = """
CREATE TABLE IF NOT EXISTS keys (
    id INTEGER PRIMARY KEY,
    valid_until TEXT NOT NULL,
    facets TEXT NOT NULL
);
"""
# The filters' indexes; the expressions are those of :func:`_key_position`.
KEYS_INDEXES = """
CREATE INDEX IF NOT EXISTS keys_valid ON keys (valid_until);
CREATE INDEX IF NOT EXISTS keys_category ON keys (substr(facets, 1, 1));
CREATE INDEX IF NOT EXISTS keys_body ON keys (substr(facets, 2, 1));
CREATE INDEX IF NOT EXISTS keys_province ON keys (substr(facets, 3, 1));
CREATE INDEX IF NOT EXISTS keys_status ON keys (substr(facets, 4, 1));
CREATE INDEX IF NOT EXISTS keys_group ON keys (substr(facets, 5, 1));
CREATE INDEX IF NOT EXISTS keys_prefecture ON keys (substr(facets, 6, 1));
"""
SCHEMA = (
    KEYS_TABLE
    + KEYS_INDEXES
    + f"""
CREATE TABLE IF NOT EXISTS certs (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    category TEXT NOT NULL,
    grp TEXT NOT NULL,
    body TEXT NOT NULL,
    region TEXT NOT NULL,
    province TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS facet_codes (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS certs_newest ON certs (issued_on DESC, number);
{USCCS_TABLE}
{FTS_TABLE}
{BROAD_COUNTS_TABLE}
CREATE TABLE IF NOT EXISTS suggestions (text TEXT PRIMARY KEY, weight INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS suggestion_keys (key TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (key, text))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS word_variants (variant TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (variant, word))
    WITHOUT ROWID;
"""
)

# ``keys.valid_until`` is the expiry date of a certificate stored as valid, else "":
# valid today is one comparison, and a valid certificate past its date reads expired.
VALID = "(k.valid_until >= :today)"
LAPSED = "(k.valid_until <> '' AND k.valid_until < :today)"
NOT_VALID_RANK = f"(CASE WHEN {VALID} THEN 0 ELSE 1 END)"
# A text query matching more certificates than this ranks by bm25 only the most
# recently indexed this many (see :meth:`EmbeddedEngine._ranked_window`).
RANK_WINDOW = 2000
# Counting a broad query reads every match. From this many certificates on, the ids
# are cut into COUNT_PARTS ranges counted at once on threads of their own (SQLite
# lets go of the GIL while it reads), while the asking thread reads the page.
SPLIT_COUNT_FROM = 50_000
COUNT_PARTS = max(1, min(4, os.cpu_count() or 1))
# An unfiltered text query matching at least this share of the index, and at least
# BROAD_FROM certificates, is *broad*: its counts are kept in ``broad_counts`` and
# kept up to date by every write, at most BROAD_KEPT of them. A write finds which of
# its certificates a kept query matches one certificate at a time, or for more than
# BROAD_PROBE_IDS by one walk over their id range.
BROAD_SHARE = 0.2
BROAD_FROM = 50_000
BROAD_KEPT = 32
BROAD_PROBE_IDS = 256
# A word in at least this share of the certificates indexed last has an IDF below
# zero, which bm25 cannot rank by (:func:`_too_common_to_rank`); one in at least
# MINOR_SHARE is left out of a text query's ranking when rarer words remain
# (``EmbeddedEngine._ranking_terms``).
FLOORED_SHARE = 0.5
MINOR_SHARE = 0.25
BM25 = "bm25(fts, {}, 0)".format(", ".join(str(COLUMN_WEIGHTS[column]) for column in TEXT_COLUMNS))


class MatchTerm(NamedTuple):
    """A term of a text query in FTS5: its phrase; the words that match it together
    when the phrase does not (a Chinese run's dictionary words); and the Chinese
    tokens of its phrase, when it has several."""

    phrase: str
    together: tuple = ()
    tokens: tuple = ()


def _all_of(words, ranking=False):
    """The FTS5 expression matching all of ``words`` (``MatchTerm``), None for none.
    A Chinese run's words are taken from it, so every certificate with the run's
    phrase has them all: the words alone match what the phrase or the words would,
    and FTS5 finds them in about half the time (a common word costs as much in
    the phrase as alone). ``ranking``: for bm25, where the phrase still lifts the
    certificates that have the run itself."""

    def term_expression(term):
        if not term.together:
            return term.phrase
        words = " AND ".join(term.together)
        return f"({term.phrase}) OR ({words})" if ranking else words

    return " AND ".join(f"({term_expression(term)})" for term in words) or None


def _within(match, within):
    """``match`` narrowed by the filters' expression ``within`` (:func:`_filter_match`)."""
    return match if within is None else f"({match}) AND {within}"


def _han(tokens):
    """The FTS5 phrase of Chinese ``tokens`` in the Chinese columns."""
    return f"{_columns(HAN_COLUMNS)} : {_phrase(tokens)}"


def _one(connection, select):
    """The one value ``select`` reads."""
    return connection.execute(select).fetchone()[0]


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def _columns(columns):
    return "{" + " ".join(columns) + "}"


def _phrase(tokens):
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return _quote(tokens[0]) + "*"
    return _quote(" ".join(tokens))


class EmbeddedEngine(LookupEngine):
    name = "embedded"

    def __init__(self, directory=None):
        self.directory = Path(directory or getattr(settings, "LOOKUP_INDEX_DIR", "") or settings.DATA_DIR)
        self.link = self.directory / INDEX_NAME
        self.building_link = self.directory / (INDEX_NAME + BUILDING_SUFFIX)
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._count_cache = {}
        self._writes = 0
        self._broad_pending = {}  # expression → the future storing its counts

    # --- files and connections ------------------------------------------------------

    def _new_generation_path(self):
        return self.directory / f"{INDEX_NAME}.{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"

    def _current_path(self):
        """The current generation, creating an empty one on first use."""
        try:
            if self.link.is_symlink():
                target = self.directory / os.readlink(self.link)
                if target.exists():
                    return target
            elif self.link.exists():
                return self.link
            return self._initialise()
        except OSError as error:
            raise EngineUnavailable(f"lookup index unreadable: {error}") from error

    def _initialise(self):
        with self._init_lock:
            if self.link.is_symlink() and (self.directory / os.readlink(self.link)).exists():
                return self.directory / os.readlink(self.link)
            if self.link.exists() and not self.link.is_symlink():
                return self.link
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self._new_generation_path()
            connection = self._connect(path)
            connection.close()
            self._point(self.link, path)
            return path

    def _point(self, link, target):
        """Make ``link`` point at ``target`` atomically (a relative link, so the
        directory may move)."""
        temporary = link.with_name(f"{link.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.symlink(Path(target).name, temporary)
        os.replace(temporary, link)

    def _connect(self, path, journal_mode="WAL"):
        """A connection to the generation at ``path`` (made when new). A rebuild opens
        its new file with ``journal_mode="OFF"``; a write reaching a generation being
        built passes None and leaves the mode as the builder set it."""
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
            )
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if journal_mode:
                connection.execute(f"PRAGMA journal_mode = {journal_mode}")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA temp_store = MEMORY")
            connection.execute("PRAGMA cache_size = -65536")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                connection.executescript(SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version in (3, 4, 5, 6):
                for upgrade in UPGRADES:
                    _in_transaction(connection, upgrade)
            elif version != SCHEMA_VERSION:
                connection.close()
                raise EngineUnavailable(
                    f"lookup index {path} has format {version}, not {SCHEMA_VERSION}: run rebuild_lookup_index"
                )
        except sqlite3.Error as error:
            raise EngineUnavailable(f"lookup index {path} cannot be opened: {error}") from error
        return connection

    def _connection(self):
        """This thread's connection to the current generation."""
        path = self._current_path()
        current = getattr(self._local, "connection", None)
        if current is not None and self._local.path == path:
            return current
        if current is not None:
            current.close()
        self._local.connection = self._connect(path)
        self._local.path = path
        return self._local.connection

    def _building_path(self):
        """The generation a rebuild is making, if its process is still alive (a
        rebuild killed outright leaves its link behind; the next rebuild removes the
        file)."""
        if self.building_link.is_symlink():
            target = self.directory / os.readlink(self.building_link)
            if target.exists() and _builder_alive(target):
                return target
        return None

    def close(self):
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
            self._local.path = None

    # --- writing --------------------------------------------------------------------

    def index(self, certificates):
        documents = [certificate_document(certificate) for certificate in certificates]
        if not documents:
            return 0
        self._write_everywhere(lambda connection: write_documents(connection, documents))
        return len(documents)

    def remove(self, numbers):
        numbers = list(dict.fromkeys(numbers))
        if numbers:
            self._write_everywhere(lambda connection: delete_numbers(connection, numbers))

    def clear(self):
        self._write_everywhere(clear_tables)

    def _write_everywhere(self, write):
        """Apply ``write`` to the current generation, and to the one being built."""
        try:
            try:
                _in_transaction(self._connection(), write)
            finally:
                self._writes += 1
            building = self._building_path()
            if building is not None:
                connection = self._connect(building, journal_mode=None)
                try:
                    _in_transaction(connection, write)
                finally:
                    connection.close()
        except sqlite3.Error as error:
            raise EngineUnavailable(f"lookup index not written: {error}") from error

    # --- reading --------------------------------------------------------------------

    def count(self):
        return self._connection().execute("SELECT count(*) FROM certs").fetchone()[0]

    def health(self):
        try:
            documents = self.count()
        except (EngineUnavailable, sqlite3.Error) as error:
            return EngineHealth(ok=False, engine=self.name, detail=str(error))
        return EngineHealth(ok=True, engine=self.name, documents=documents, detail=str(self._current_path()))

    def lookup_indexed_code(self, parsed_code):
        from lookup.codes import CodeKind

        connection = self._connection()
        if parsed_code.kind is CodeKind.CERTIFICATE:
            rows = connection.execute("SELECT number FROM certs WHERE number = ?", (parsed_code.value,))
        else:
            rows = connection.execute("SELECT number FROM usccs WHERE uscc = ?", (parsed_code.value,))
        return [row[0] for row in rows]

    def search(self, query):
        connection = self._connection()
        params = {"today": self.today(query).isoformat()}
        try:
            state = self._state(connection)
            codes = self._codes(state, connection)
            conditions = _filter_conditions(query, params, codes)
            named = self._code_ids(query, params)
            match = None
            if named is None and query.has_text:
                words = self._without_universal(connection, self._match_terms(connection, query.terms), state)
                match = _all_of(words)
                if match is None:
                    return SearchResults(hits=[], total=0, facets=_empty_facets() if query.facets else {})
                within = _filter_match(query, codes)
                params["match"] = _within(match, within)
            where = " AND ".join(conditions) or "1"
            if named is not None:
                return self._search_named(connection, query, named, where, params, (state, codes))
            if match is None:
                return self._search_rows(connection, query, where, params, (state, codes))
            return self._search_text(connection, query, words, where, params, (state, codes), within)
        except sqlite3.Error as error:
            raise EngineUnavailable(f"lookup search failed: {error}") from error

    def _code_ids(self, query, params):
        """For a code query, a select of the ids of the certificates the code names
        (a number's one, a company's, a trace code's), else None."""
        from lookup.codes import CodeKind

        code = query.code
        if code is None:
            return None
        if code.kind is CodeKind.USCC:
            params["code"] = code.value
            return "SELECT id FROM usccs WHERE uscc = :code"
        numbers = [code.value] if code.kind is CodeKind.CERTIFICATE else self.lookup_code(code)
        names = []
        for position, number in enumerate(numbers):
            params[f"n{position}"] = number
            names.append(f":n{position}")
        return f"SELECT id FROM certs WHERE number IN ({', '.join(names) or 'NULL'})"

    def _state(self, connection):
        """What the cached counts and codes of this thread's generation depend on:
        which file, what other connections committed, what this process wrote."""
        return (str(self._local.path), connection.execute("PRAGMA data_version").fetchone()[0], self._writes)

    def _codes(self, state, connection):
        """(facet, value) → code, and per facet its (code, value) pairs, read again
        after any write (``state``, :meth:`_state`)."""
        cached = getattr(self._local, "codes", None)
        if cached is None or cached[0] != state:
            codes = _facet_codes(connection)
            cached = (state, codes, _codes_by_facet(codes))
            self._local.codes = cached
        return cached[1], cached[2]

    def _counting(
        self, connection, source, where, params, facets, indexed, id_column=None, broad=False, likely_broad=False
    ):
        """Start :func:`_count_and_facets`; a function that waits for and returns
        its (total, valid, counts). With ``id_column`` and a large index the count
        runs in parts (:data:`SPLIT_COUNT_FROM`), so the caller reads its page
        meanwhile. Counts are kept until the index changes: the same browse or query
        asked again (the next page, another reader of a popular word) costs nothing.
        ``indexed`` is the index's state and its codes, as :meth:`search` read them.

        ``broad``: an unfiltered text query (``params["match"]``). Counting a word
        that most certificates have (有限公司) walks them all, some 200 ms on a
        million even in parts, and the pass would be the same for every reader. So
        the first time such a query turns out broad (:data:`BROAD_SHARE`), a thread
        counts it once more, with the index locked for writes, into
        ``broad_counts``; every write then adds and takes away the certificates it
        changes (:func:`_adjust_broad_counts`) and a rebuild counts the kept
        queries afresh. From then on its counts cost one row. ``likely_broad``: the
        query looks broad already (:func:`_too_common_to_rank`), so this first count
        is the one kept (:meth:`_count_and_keep`) and the next reader finds it,
        instead of counting once for the reader and again to keep it."""
        state, codes = indexed
        key = (state, source, where, tuple(sorted(params.items())), facets)
        cached = self._count_cache.get(key)
        if cached is not None:
            return lambda: cached
        if broad:
            stored = _stored_broad_count(connection, params["match"], params["today"], facets, codes[1])
            if stored is not None:
                self._keep_count(key, stored)
                return lambda: stored
            if likely_broad:
                kept = _count_pool("broad", threads=1).submit(self._count_and_keep, params["match"], 0)

                @functools.cache
                def kept_result():
                    raw = kept.result()
                    if raw is None:
                        # A write holds the index: count as for any query.
                        return self._counting(
                            connection, source, where, params, facets, indexed, id_column, broad=True
                        )()
                    counted = _broad_answer(*raw, params["today"], facets, codes[1])
                    self._keep_count(key, counted)
                    return counted

                return kept_result
        ranges = self._count_ranges(connection) if id_column else []
        if len(ranges) < 2:
            counted = _count_and_facets(connection, source, where, params, facets, codes[1])
            self._keep_count(key, counted)
            if broad:
                self._keep_if_broad(connection, params["match"], counted[0])
            return lambda: counted
        where = f"{where} AND {id_column} BETWEEN :part_low AND :part_high"
        parts = [
            _count_pool().submit(
                self._count_part, source, where, {**params, "part_low": low, "part_high": high}, facets, codes[1]
            )
            for low, high in ranges
        ]

        @functools.cache  # asked again (a filtered text search asks twice), merged once
        def result():
            counted = _merge_counts([part.result() for part in parts])
            self._keep_count(key, counted)
            if broad:
                self._keep_if_broad(connection, params["match"], counted[0])
            return counted

        return result

    def _keep_if_broad(self, connection, match, total):
        """Have the counts of ``match`` kept in ``broad_counts`` (on a thread: the
        reader does not wait) if it matches ``total`` certificates, a broad share."""
        if _is_broad(connection, total):
            self._keep_later(match)

    def _keep_later(self, match):
        """Have :func:`store_broad_count` of ``match`` run on a thread."""
        with self._init_lock:
            if match in self._broad_pending:
                return
            self._broad_pending[match] = _count_pool("broad", threads=1).submit(self._store_broad_count, match)

    def _store_broad_count(self, match):
        try:
            self._count_and_keep(match)
        finally:
            with self._init_lock:
                self._broad_pending.pop(match, None)

    def _count_and_keep(self, match, lock_wait_ms=BUSY_TIMEOUT_MS):
        """:func:`store_broad_count` of ``match``, counted in parts on the counting
        threads while this thread holds the index's write lock (the parts read
        what it locked: nobody else can write, and it has written nothing yet).
        Its (total, codes, dates); None when a write held the lock for longer than
        ``lock_wait_ms``."""
        connection = self._connection()
        connection.execute(f"PRAGMA busy_timeout = {lock_wait_ms}")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
            return None
        finally:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            counted = store_broad_count(connection, match, self._walk_in_parts)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return counted

    def _walk_in_parts(self, match):
        """:func:`walk_matches` of ``match``, its id ranges walked at once."""
        ranges = self._count_ranges(self._connection())
        parts = [_count_pool().submit(self._walk_part, match, low, high) for low, high in ranges]
        return _joined_walks([part.result() for part in parts])

    def _walk_part(self, match, low, high):
        return walk_matches(self._connection(), match, low, high)

    def forget_broad_counts(self):
        """Drop the kept counts of broad queries (benchmarks measure their first time)."""
        self.wait_for_broad_counts()
        self._write_everywhere(lambda connection: connection.execute("DELETE FROM broad_counts"))

    def wait_for_broad_counts(self):
        """Wait until the broad queries being stored are (tests, benchmarks)."""
        with self._init_lock:
            pending = list(self._broad_pending.values())
        for future in pending:
            future.result()

    def _count_ranges(self, connection):
        """The id ranges a count is cut into: one when the index is small."""
        highest = connection.execute("SELECT max(id) FROM keys").fetchone()[0] or 0
        if highest < SPLIT_COUNT_FROM or COUNT_PARTS < 2:
            return [(0, highest)]
        step = -(-highest // COUNT_PARTS)
        return [(low, min(low + step - 1, highest)) for low in range(0, highest + 1, step)]

    def _count_part(self, source, where, params, facets, by_facet):
        """One part of a count, on a counting thread's own connection."""
        return _count_and_facets(self._connection(), source, where, params, facets, by_facet)

    def _keep_count(self, key, counted):
        with self._init_lock:
            if len(self._count_cache) >= COUNT_CACHE_SIZE:
                self._count_cache.clear()
            self._count_cache[key] = counted

    def clear_caches(self):
        """Forget cached counts (benchmarks measure the first time a query is asked)."""
        self._count_cache.clear()

    def _search_rows(self, connection, query, where, params, indexed):
        """No text: filter ``keys``. The page reads valid certificates, then the
        others, newest first. With the count in hand, each part is read the cheaper
        of two ways (:func:`_walks_newest`): walking the ``certs_newest`` index and
        stopping after the page, when the filter keeps many certificates; or reading
        the filtered rows through the filter's index and sorting them, when it keeps
        few (walking would pass over most of the index to find them)."""
        total, valid, facets = self._counting(
            connection, "FROM keys k", where, params, query.facets, indexed, "k.id"
        )()
        everything = connection.execute("SELECT max(id) FROM keys").fetchone()[0] or 0

        def page(condition, matching, offset, limit):
            if _walks_newest(everything, matching, offset + limit):
                source = "FROM certs c INDEXED BY certs_newest CROSS JOIN keys k ON k.id = c.id"
            else:
                source = "FROM keys k CROSS JOIN certs c ON c.id = k.id"
            rows = connection.execute(
                f"SELECT c.number {source} WHERE {where} AND {condition} "
                "ORDER BY c.issued_on DESC, c.number LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset},
            )
            return [row[0] for row in rows]

        hits = [Hit(number=number) for number in _valid_first(page, query, total, valid)]
        return SearchResults(hits=hits, total=total, facets=_facet_lists(facets))

    def _search_named(self, connection, query, named, filters, params, indexed):
        """A code query: the few certificates the code names, valid first, then
        newest. A company's (a USCC may name thousands) come in page order from its
        range of ``usccs``, valid ones then the others, so the page reads only its
        own rows; a number's or a trace code's one or two are sorted. Left to itself
        SQLite would walk every certificate along ``certs_newest`` to skip a sort."""
        from lookup.codes import CodeKind

        if query.code.kind is CodeKind.USCC:
            # The company's range of usccs, whose rows carry their keys (so it stands
            # as ``k`` in the filters' conditions), for the count and for the page:
            # the range's order is the page's, so there is no sort, and it stops
            # after the page.
            source = "FROM usccs k"
            where = f"k.uscc = :code AND {filters}"
            total, valid, facets = self._counting(connection, source, where, params, query.facets, indexed)()

            def page(condition, _matching, offset, limit):
                rows = connection.execute(
                    f"SELECT k.number {source} WHERE {where} AND {condition} "
                    "ORDER BY k.issued_on DESC, k.number LIMIT :limit OFFSET :offset",
                    {**params, "limit": limit, "offset": offset},
                )
                return [row[0] for row in rows]

            numbers = _valid_first(page, query, total, valid)
        else:
            where = f"k.id IN ({named}) AND {filters}"
            total, valid, facets = self._counting(connection, "FROM keys k", where, params, query.facets, indexed)()
            rows = connection.execute(
                f"SELECT c.number FROM keys k CROSS JOIN certs c ON c.id = k.id WHERE {where} "
                f"ORDER BY {NOT_VALID_RANK}, c.issued_on DESC, c.number LIMIT :limit OFFSET :offset",
                {**params, "limit": query.page_size, "offset": query.offset},
            )
            numbers = [row[0] for row in rows]
        hits = [Hit(number=number) for number in numbers]
        return SearchResults(hits=hits, total=total, facets=_facet_lists(facets))

    def _search_text(self, connection, query, words, where, params, indexed, within):
        """Text (``words``, the terms of its FTS5 expression, :meth:`_match_terms`;
        ``within``, the filters' part of it): one pass over the matches counts them
        and reads their keys; a second ranks them for the page. Up to
        :data:`RANK_WINDOW` matches are ranked exactly: valid first, then bm25, then
        newest. Beyond that, see :meth:`_ranked_window`, and for words too common to
        rank by, :meth:`_ranking_terms`. Without filters the first page rarely needs
        the count, so it is read (and highlighted) while the count runs."""
        # CROSS JOIN keeps the full-text match as the outer loop (SQLite reads it as a
        # join order): probing FTS5 once per filtered row would cost far more.
        source = "FROM fts CROSS JOIN keys k ON k.id = fts.rowid"
        filtered = where != "1"
        conditions, where = where, f"fts MATCH :match AND {where}"
        # The RANK_WINDOW-th match of the words from the newest, if they have more
        # (``known``): a single phrase's own; none when their tokens show they match
        # few (:func:`_match_few`). Else the count comes first: finding the edge of
        # several common words that rarely meet walks their lists backwards, longer
        # than counting.
        words_edge, known = None, True
        edges = functools.partial(self._edge, connection, state=indexed[0])
        if len(words) == 1 and not words[0].together:
            words_edge = edges(words[0].phrase)[0]
        elif not _match_few(words, edges):
            known = False
        too_common = known and _too_common_to_rank(self._newest(connection, indexed[0]), words_edge)
        counting = self._counting(
            connection,
            source,
            where,
            params,
            query.facets,
            indexed,
            "fts.rowid",
            broad=not filtered,
            likely_broad=too_common,
        )
        if not filtered and known:
            edge = words_edge
        elif counting()[0] <= RANK_WINDOW:
            # Few matches (a filter that keeps few, or words that rarely meet):
            # finding the window's edge would walk them all, and the count (which
            # had to come first to know it) says there is none.
            edge = None
        else:
            edge = connection.execute(
                f"SELECT fts.rowid {source} WHERE {where} ORDER BY fts.rowid DESC LIMIT 1 OFFSET :window",
                {**params, "window": RANK_WINDOW},
            ).fetchone()
        params = {**params, "cutoff": edge[0] if edge else 0}
        ranking = [] if too_common else self._ranking_terms(connection, words, indexed[0])
        ranked_where = where
        if not ranking:
            score, ranked = "0", "fts.rowid DESC"
            everything = f"{NOT_VALID_RANK}, fts.rowid DESC"
        else:
            score, ranked = BM25, "score, fts.rowid DESC"
            everything = f"{NOT_VALID_RANK}, score, c.issued_on DESC, c.number"
            rank = _all_of(ranking, ranking=True)
            if rank != _all_of(words):
                # bm25 runs on a cursor matching the ranking terms, a superset; the
                # rows the whole query matches in the window (no more than it holds)
                # are read first, and only those pass.
                params["rank"] = _within(rank, within)
                ranked_where = (
                    "fts MATCH :rank AND +fts.rowid IN "
                    f"(SELECT rowid FROM fts WHERE fts MATCH :match AND rowid > :cutoff) AND {conditions}"
                )

        def page(condition, order, limit, offset):
            # Matches listed by date (past the window) need no score, and no bm25.
            scored = order in (ranked, everything) and score != "0"
            rows = connection.execute(
                f"SELECT c.number, {score if scored else 0} AS score {source} JOIN certs c ON c.id = fts.rowid "
                f"WHERE {ranked_where if scored else where} AND {condition} "
                f"ORDER BY {order} LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset},
            )
            return [Hit(number=number, score=-score) for number, score in rows]

        hits = None
        if edge is None:
            hits = page("1", everything, query.page_size, query.offset)
        elif query.offset == 0:
            # Usually the window's valid matches fill the first page.
            hits = page(f"{VALID} AND fts.rowid > :cutoff", ranked, query.page_size, 0)
            if len(hits) < query.page_size:
                hits = None
        if hits and query.highlight:
            self._highlight(connection, hits, query.terms)
        total, valid, facets = counting()
        if hits is None:
            window_valid = connection.execute(
                f"SELECT total({VALID}) {source} WHERE {where} AND fts.rowid > :cutoff", params
            ).fetchone()[0]
            hits = (
                []
                if query.offset >= total
                else self._ranked_window(query, page, ranked, total, valid, int(window_valid))
            )
            if hits and query.highlight:
                self._highlight(connection, hits, query.terms)
        return SearchResults(hits=hits, total=total, facets=_facet_lists(facets))

    def _ranked_window(self, query, page, ranked, total, valid, window_valid):
        """A page of a query with more than :data:`RANK_WINDOW` matches.

        Ranking every match by bm25 costs about a microsecond and a half each, which
        for a word tens of thousands of certificates share is most of the answer's
        time. So only the :data:`RANK_WINDOW` matches indexed last (ids follow the
        order certificates entered the registry, and keep it when one changes), those
        past ``:cutoff``, are ranked by bm25; FTS5 finds them by walking the matches
        from the highest rowid and stopping. The order stays valid first: the
        window's valid matches by relevance, the other valid matches newest first,
        then the same for the rest (``window_valid`` of the window's matches are
        valid). Every match is still counted and faceted. ``ranked`` is the
        window's order."""
        window, older = "fts.rowid > :cutoff", "fts.rowid <= :cutoff"
        segments = [
            (window_valid, f"{VALID} AND {window}", ranked),
            (valid - window_valid, f"{VALID} AND {older}", "fts.rowid DESC"),
            (RANK_WINDOW - window_valid, f"NOT {VALID} AND {window}", ranked),
            (total - valid - (RANK_WINDOW - window_valid), f"NOT {VALID} AND {older}", "fts.rowid DESC"),
        ]
        hits, offset, wanted = [], query.offset, query.page_size
        for size, condition, order in segments:
            if wanted <= 0:
                break
            if offset >= size:
                offset -= size
                continue
            found = page(condition, order, wanted, offset)
            hits.extend(found)
            wanted -= len(found)
            offset = 0
        return hits

    def _match_terms(self, connection, terms):
        """The FTS5 expressions of ``terms`` (all must match, :func:`_all_of`)."""
        matched = []
        for term in terms:
            if term.kind == "han":
                matched.append(
                    MatchTerm(
                        _han(term.phrase),
                        tuple(_han(alternative) for alternative in term.alternatives),
                        tuple(term.phrase) if len(term.phrase) > 1 else (),
                    )
                )
            elif term.kind == "model":
                tokens = " OR ".join(_quote(t) + ("*" if matches_as_prefix(t) else "") for t in term.tokens)
                matched.append(MatchTerm(f"{_columns(LATIN_COLUMNS)} : ({tokens})"))
            else:
                tokens = list(term.tokens) + self._corrections(connection, term.tokens)
                quoted = " OR ".join(_quote(token) for token in tokens)
                matched.append(MatchTerm(f"{_columns(LATIN_COLUMNS)} : ({quoted})"))
        return matched

    def _ranking_terms(self, connection, words, state):
        """``words`` (:meth:`_match_terms`) less what is too common to rank by, for
        bm25. A phrase in at least every other certificate has an IDF below zero,
        which FTS5 floors at a millionth, yet finding it walks all its matches (85
        ms for 有限公司, 20 for "co" or "ltd", every time), and a company's full name
        has such words: they go (:func:`_too_common_to_rank`). So does a phrase in
        at least a quarter of them (:data:`MINOR_SHARE`) when rarer words remain to
        rank by: its IDF, log 3 at most, counts for little beside theirs (5 to 10
        for a brand or a model), and its walk costs the most (15 ms for 股份, in a
        third). Every term left matches a superset of what it matched: a common
        phrase takes its term away (it is one of the term's alternatives, so the
        term is as common), a common word leaves the other words of its run, and a
        run whose words are all common goes. An empty list: nothing to rank by."""

        def rarer_than(share):
            def common(expression):
                return self._too_common(connection, expression, state, share)

            ranking = []
            for term in words:
                # A phrase is in no more certificates than any of its tokens, whose
                # edges are cheap to find; the phrase's may walk long lists backwards.
                rare = [position for position, token in enumerate(term.tokens) if not common(_han([token]))]
                if not rare and common(term.phrase):
                    continue
                rarer = tuple(word for word in term.together if not common(word))
                if term.together and not rarer:
                    continue
                if rare:
                    # Common tokens at either end leave the phrase (a company's name
                    # ends in 有限公司): the rest matches a superset, and walking it is cheap.
                    term = term._replace(phrase=_han(term.tokens[rare[0] : rare[-1] + 1]))
                ranking.append(term._replace(together=rarer))
            return ranking

        return rarer_than(MINOR_SHARE) or rarer_than(FLOORED_SHARE)

    def _without_universal(self, connection, words, state):
        """``words`` (:meth:`_match_terms`) less the words every certificate has, as
        their kept counts show (:func:`store_broad_count`): AND-ing with them
        changes nothing, yet FTS5 walks their lists to do it (有限公司 added 18 ms to
        a company's full name, "co" and "ltd" as much to its English one). A word
        in at least every other certificate whose counts are not kept yet is counted
        and kept first, once for the index (some 250 ms for a million). All of
        ``words`` when every one is universal."""

        def universal(expression):
            return self._too_common(connection, expression, state) and self._kept(
                ("universal", state, expression), lambda: self._universal(connection, expression, state)
            )

        rest = []
        for term in words:
            together = tuple(word for word in term.together if not universal(word))
            if (term.together and not together) or (not term.together and universal(term.phrase)):
                continue
            rest.append(term._replace(together=together))
        return rest or words

    def _universal(self, connection, expression, state):
        """Whether every certificate has ``expression``, by its kept count; counted
        and kept first when it is not and could be."""
        match = _all_of([MatchTerm(expression)])
        kept = _kept_counts(connection, match)
        everything = self._certificates(connection, state)
        worth_counting = ("unkept", match) not in self._count_cache and _room_to_keep(connection)
        if kept is None and worth_counting and _is_broad(connection, everything):
            # Counted (in parts) and kept now, once for the index: a word on its way
            # to the kept counts would slow every query until then.
            kept = self._count_and_keep(match, lock_wait_ms=0)
            if kept is None:  # a write holds the index
                self._keep_later(match)
            elif _kept_counts(connection, match) is None:  # not broad: not counted again
                self._keep_count(("unkept", match), True)
        return kept is not None and kept[0] == everything

    def _kept(self, key, compute):
        """``compute()``, kept with the counts under ``key`` (which holds the index's
        state, so it is forgotten when the index changes)."""
        found = self._count_cache.get(key)
        if found is None:
            found = compute()
            self._keep_count(key, found)
        return found

    def _certificates(self, connection, state):
        return self._kept(("certificates", state), lambda: _one(connection, "SELECT count(*) FROM keys"))

    def _newest(self, connection, state):
        return self._kept(("newest", state), lambda: _one(connection, "SELECT max(rowid) FROM fts"))

    def _too_common(self, connection, expression, state, share=FLOORED_SHARE):
        edge = self._edge(connection, expression, state)[0]
        return _too_common_to_rank(self._newest(connection, state), edge, share)

    def _edge(self, connection, expression, state):
        """(edge, matches): the row of the :data:`RANK_WINDOW`-th match of
        ``expression`` from the newest and None; or when it has no more, None and
        how many it has. Kept like counts until the index changes (``state``)."""

        def find():
            matches, oldest = connection.execute(
                "SELECT count(*), min(rowid) FROM "
                "(SELECT rowid FROM fts WHERE fts MATCH :words ORDER BY rowid DESC LIMIT :window)",
                {"words": expression, "window": RANK_WINDOW + 1},
            ).fetchone()
            return ((oldest,), None) if matches > RANK_WINDOW else (None, matches)

        return self._kept(("edge", state, expression), find)

    def _corrections(self, connection, tokens):
        """Known words within a typing mistake of a word no document has."""
        corrections = []
        for token in tokens:
            if not typo_distance_allowed(token):
                continue
            if connection.execute("SELECT 1 FROM words WHERE word = ?", (token,)).fetchone():
                return []
            variants = [token, *word_variants(token)]
            placeholders = ", ".join("?" * len(variants))
            candidates = {
                row[0]
                for row in connection.execute(
                    f"SELECT word FROM word_variants WHERE variant IN ({placeholders}) "
                    f"UNION SELECT word FROM words WHERE word IN ({placeholders})",
                    variants + variants,
                )
            }
            corrections.extend(
                candidate
                for candidate in sorted(candidates)
                if levenshtein(candidate, token) <= typo_distance_allowed(token)
            )
        return list(dict.fromkeys(corrections))[:10]

    def _highlight(self, connection, hits, terms):
        placeholders = ", ".join("?" * len(hits))
        documents = {
            number: json.loads(doc)
            for number, doc in connection.execute(
                f"SELECT c.number, d.doc FROM certs c JOIN docs d ON d.id = c.id WHERE c.number IN ({placeholders})",
                [hit.number for hit in hits],
            )
        }
        for hit in hits:
            document = documents.get(hit.number)
            if document is not None:
                hit.highlight = highlight_document(document, terms)

    def autocomplete(self, prefix, limit=10):
        key = fold(prefix).strip()
        if not key:
            return []
        connection = self._connection()
        rows = connection.execute(
            "SELECT s.text FROM suggestions s WHERE s.text IN ("
            "  SELECT k.text FROM suggestion_keys k WHERE k.key >= :key AND k.key < :end"
            ") ORDER BY s.weight DESC, length(s.text), s.text LIMIT :limit",
            {"key": key, "end": key + "\U0010ffff", "limit": limit},
        )
        return [row[0] for row in rows]

    # --- rebuilding -----------------------------------------------------------------

    def rebuild(self, queryset=None, progress=None):
        """Build a new generation in bulk (no journal, no syncs: until it is swapped
        in, nobody depends on the file), then swap it in.

        Documents are read a batch at a time without model instances
        (:func:`~lookup.engines.base.certificate_documents`) and written with one
        ``executemany`` per table; the filter indexes are made once at the end, the
        autocomplete and spelling tables likewise (:func:`finish_rebuild`), and the
        full-text index is merged into one segment."""
        from lookup.models import Certificate

        started = time.time()
        started_at = _database_now()
        broad = self._kept_broad_queries()
        queryset = Certificate.objects.all() if queryset is None else queryset
        total = queryset.count()
        path = self._new_generation_path()
        connection = self._connect(path, journal_mode="OFF")
        connection.execute("PRAGMA synchronous = OFF")
        for index in BUILD_DEFERRED_INDEXES:
            connection.execute(f"DROP INDEX IF EXISTS {index}")
        connection.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', 0)")
        self._point(self.building_link, path)
        done = 0
        try:
            processes = self._rebuild_processes(total)
            for prepared in prepared_batches(certificate_documents(queryset, batch_size=BATCH_SIZE), processes):
                _in_transaction(connection, lambda c, prepared=prepared: insert_new_documents(c, prepared))
                done += len(prepared)
                if progress:
                    progress(done, total)
            if progress and not done:
                progress(done, total)
            self._reconcile(connection, queryset, started_at)
            _in_transaction(connection, finish_rebuild)
            _in_transaction(connection, lambda c: count_broad_queries_afresh(c, broad))
            connection.executescript(SCHEMA)
            connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            connection.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', 4)")
            connection.execute("ANALYZE")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            connection.close()
            with contextlib.suppress(FileNotFoundError):
                self.building_link.unlink()
            _remove_generation(path)
            raise
        connection.close()
        old = self._current_path() if self.link.is_symlink() else None
        self._point(self.link, path)
        with contextlib.suppress(FileNotFoundError):
            self.building_link.unlink()
        connection = self._connect(path)
        try:
            self._reconcile(connection, queryset, started_at)
        finally:
            connection.close()
        if old is not None and old != path:
            _remove_generation(old)
        self._remove_stale_generations(keep=path)
        self.close()
        self.last_rebuild_seconds = time.time() - started
        return done

    def _kept_broad_queries(self):
        """The broad queries the current generation keeps counts of, if there is one."""
        if not (self.link.is_symlink() or self.link.exists()):
            return []
        try:
            return [row[0] for row in self._connection().execute("SELECT match FROM broad_counts")]
        except (sqlite3.Error, EngineUnavailable):
            return []

    def _rebuild_processes(self, total):
        """Worker processes that analyse documents for a rebuild: none for a small
        one, else ``LOOKUP_REBUILD_PROCESSES`` (default: one per CPU)."""
        if total <= 2 * BATCH_SIZE:
            return 1
        return getattr(settings, "LOOKUP_REBUILD_PROCESSES", None) or os.cpu_count() or 1

    def _reconcile(self, connection, queryset, since):
        """Catch up with what changed while the rebuild read the database: certificates
        updated since it began are written again, numbers the database no longer has
        are removed."""
        for changed in certificate_documents(queryset.filter(updated_at__gte=since), batch_size=BATCH_SIZE):
            _in_transaction(connection, lambda c, documents=changed: write_documents(c, documents))
        gone = _numbers_gone_from_the_database(connection)
        if gone:
            _in_transaction(connection, lambda c: delete_numbers(c, gone))

    def _remove_stale_generations(self, keep):
        building = self._building_path()
        for candidate in self.directory.glob(f"{INDEX_NAME}.*"):
            name = candidate.name
            if name.endswith(("-wal", "-shm", BUILDING_SUFFIX, ".tmp")):
                continue
            if candidate in (keep, building):
                continue
            if time.time() - candidate.stat().st_mtime < 60:
                continue
            _remove_generation(candidate)


def _builder_alive(path):
    """Whether the process named in a generation's file name still runs."""
    try:
        pid = int(path.name.rsplit(".", 1)[-1].split("-")[1])
    except (IndexError, ValueError):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _numbers_gone_from_the_database(connection, chunk_size=900):
    """The indexed numbers the database no longer has, asked a chunk at a time so
    memory does not grow with the index."""
    from lookup.models import Certificate

    gone = []
    rows = connection.execute("SELECT number FROM certs ORDER BY number")
    while chunk := [row[0] for row in rows.fetchmany(chunk_size)]:
        present = set(Certificate.objects.filter(number__in=chunk).values_list("number", flat=True))
        gone.extend(number for number in chunk if number not in present)
    return gone


def _database_now():
    from django.utils import timezone

    return timezone.now()


def _remove_generation(path):
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _in_transaction(connection, write):
    connection.execute("BEGIN IMMEDIATE")
    try:
        write(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _empty_facets():
    return {name: [] for name in ("category", "status", "body", "region")}


# The key of a certificate in ``keys.facets``: one character per value, in this
# order. The first four are counted as facets ("region" counts provinces); all of
# them filter.
KEY_FACETS = ("category", "body", "region", "status", "group", "prefecture")
COUNTED_FACETS = KEY_FACETS[:4]
KEY_LENGTH = len(KEY_FACETS)


def _key_position(facet):
    return f"substr(k.facets, {KEY_FACETS.index(facet) + 1}, 1)"


def _filter_conditions(query, params, codes):
    """SQL conditions on ``keys k`` for the filters of ``query``; a value the index
    has never seen matches nothing."""
    codes = codes[0]
    conditions = []

    def add(facet, values, prefix):
        names = []
        for position, value in enumerate(values):
            code = codes.get((facet, value))
            if code is not None:
                params[f"{prefix}{position}"] = code
                names.append(f":{prefix}{position}")
        return f"{_key_position(facet)} IN ({', '.join(names)})" if names else "0"

    if query.categories:
        conditions.append(add("category", query.categories, "cat"))
    if query.groups:
        conditions.append(add("group", query.groups, "grp"))
    if query.bodies:
        conditions.append(add("body", query.bodies, "body"))
    if query.statuses:
        alternatives = []
        for position, status in enumerate(query.statuses):
            if status == "valid":
                alternatives.append(VALID)
                continue
            alternatives.append(add("status", [status], f"st{position}_"))
            if status == "expired":
                alternatives.append(LAPSED)
        conditions.append("(" + " OR ".join(alternatives) + ")")
    if query.regions:
        alternatives = []
        if query.provinces:
            alternatives.append(add("region", query.provinces, "prov"))
        if query.prefectures:
            alternatives.append(add("prefecture", query.prefectures, "pref"))
        conditions.append("(" + " OR ".join(alternatives) + ")")
    return conditions


def filter_tokens(facet_key):
    """The ``filters`` column of a certificate whose facet key is ``facet_key``: one
    ASCII token per key character (the character's code point in hex), so that the
    token names the facet and the value as the character does."""
    return " ".join(f"k{ord(character):x}" for character in facet_key)


def _filter_match(query, codes):
    """An FTS5 expression on the ``filters`` column that every certificate passing
    the filters of ``query`` matches (None when it has no filter): a pre-filter that
    narrows the walk, while :func:`_filter_conditions` still decides. A filter value
    the index has never seen is left to those conditions, and so are "valid" and
    "expired" (a valid certificate past its date is stored as valid but reads
    expired)."""
    codes = codes[0]
    groups = []

    def tokens(pairs):
        return [filter_tokens(codes[pair]) for pair in pairs if pair in codes]

    if query.categories:
        groups.append(tokens(("category", value) for value in query.categories))
    if query.groups:
        groups.append(tokens(("group", value) for value in query.groups))
    if query.bodies:
        groups.append(tokens(("body", value) for value in query.bodies))
    if query.statuses and not {"valid", "expired"} & set(query.statuses):
        # Only the rare statuses narrow the walk: valid certificates are about half of
        # all, and FTS5's bm25 reads the whole list of every token in the query.
        groups.append(tokens(("status", value) for value in query.statuses))
    if query.regions:
        groups.append(
            tokens(
                [("region", value) for value in query.provinces]
                + [("prefecture", value) for value in query.prefectures]
            )
        )
    parts = [f"{FILTERS_COLUMN} : ({' OR '.join(group)})" for group in groups if group]
    return " AND ".join(parts) or None


def _match_few(words, edges):
    """Whether all of ``words`` (``MatchTerm``) match no more than
    :data:`RANK_WINDOW` certificates, as the counts of their tokens and words that
    have fewer show (``edges(expression)``, ``EmbeddedEngine._edge``): a term
    matches no more than its rarest word or, without words, its phrase's rarest
    token. Then the edge of all of them together need not be looked for: walking
    a sparse expression backwards through lists of common tokens costs
    milliseconds (12 ms for a company's full name)."""
    bounds = [
        min(fewer)
        for term in words
        if (fewer := [n for expression in term.together or _tokens(term) if (n := edges(expression)[1]) is not None])
    ]
    return bool(bounds) and min(bounds) <= RANK_WINDOW


def _tokens(term):
    """The expressions of ``term``'s phrase's tokens, each alone (the phrase itself
    when it is one token)."""
    return [_han([token]) for token in term.tokens] or [term.phrase]


def _too_common_to_rank(newest, edge, share=FLOORED_SHARE):
    """Whether a text query's words are in at least every other certificate indexed
    last (or another ``share``): of the certificates from the newest (``newest``, the
    highest id) down to the :data:`RANK_WINDOW`-th match of the words (``edge``, that
    match's row; None when they have no more matches), at least half match. bm25 cannot rank such words:
    their IDF is below zero, which FTS5 floors at a millionth, so every score is
    next to nothing. Finding each word's IDF would still walk all its matches (some
    85 ms for 有限公司 on a million certificates, every time), so their matches are
    not ranked but listed as a search beyond the window lists them: valid first,
    newest first."""
    return edge is not None and newest - edge[0] <= RANK_WINDOW / share


def _valid_first(page, query, total, valid):
    """The numbers on ``query``'s page of ``total`` certificates, ``valid`` of them
    valid, which come first; ``page(condition, matching, offset, limit)`` reads from
    the valid ones or the others (``matching`` of them), newest first."""
    numbers = page(VALID, valid, query.offset, query.page_size) if query.offset < valid else []
    wanted = query.page_size - len(numbers)
    if wanted > 0 and query.offset + len(numbers) < total:
        numbers += page(f"NOT {VALID}", total - valid, max(0, query.offset - valid), wanted)
    return numbers


# Reading a filtered row and sorting it costs about this many times stepping along
# ``certs_newest`` past a row (measured on the million-certificate index).
SORT_COST_PER_ROW = 4


def _walks_newest(everything, matching, wanted):
    """Whether the first ``wanted`` of ``matching`` rows, out of ``everything``, are
    found sooner by walking the index newest first (about ``everything / matching``
    rows stepped over per row wanted) than by sorting the ``matching`` rows."""
    return matching > 0 and everything * wanted / matching < SORT_COST_PER_ROW * matching


_count_pools = {}
_count_pools_lock = threading.Lock()


def _count_pool(purpose="count", threads=None):
    """This process's threads for ``purpose`` (made after a fork, never shared with a
    parent): COUNT_PARTS that count the parts of a search, one that keeps the
    counts of broad queries (``"broad"``), so a long count into ``broad_counts``
    never holds up a search's parts."""
    with _count_pools_lock:
        pool = _count_pools.get((os.getpid(), purpose))
        if pool is None:
            pool = _count_pools[os.getpid(), purpose] = ThreadPoolExecutor(
                threads or COUNT_PARTS, thread_name_prefix=f"lookup-{purpose}"
            )
        return pool


def _merge_counts(parts):
    total = sum(part[0] for part in parts)
    valid = sum(part[1] for part in parts)
    if not any(part[2] for part in parts):
        return total, valid, {}
    counted = {name: Counter() for name in COUNTED_FACETS}
    for _total, _valid, counts in parts:
        for name, counter in counts.items():
            counted[name].update(counter)
    return total, valid, counted


def _count_and_facets(connection, source, where, params, facets, by_facet):
    """The number of rows ``source`` has under ``where``, how many are valid and,
    when ``facets``, their facet counts, in one pass: each row gives its key from
    ``keys`` (a few bytes per certificate, so the pass reads memory, not the wide
    rows of ``certs``), and Python counts each facet's codes in the characters of
    its position (``str.count`` per code, several times faster than a ``Counter``
    over the characters, since a facet has tens of values, not thousands). Valid
    certificates past their expiry date count as expired."""
    if not facets:
        total, valid = connection.execute(f"SELECT count(*), total({VALID}) {source} WHERE {where}", params).fetchone()
        return total, int(valid), {}
    total, valid, keys = connection.execute(
        f"SELECT count(*), total({VALID}), group_concat(k.facets, '') {source} WHERE {where}", params
    ).fetchone()
    counted = _facet_counts(_counted_codes(keys or "", by_facet), by_facet)
    _move_lapsed(counted, int(valid))
    return total, int(valid), counted


def _codes_by_facet(codes):
    """Per facet its (code, value) pairs, from :func:`_facet_codes`."""
    by_facet = {facet: [] for facet in KEY_FACETS}
    for (facet, value), code in codes.items():
        by_facet.setdefault(facet, []).append((code, value))
    return by_facet


def _counted_codes(keys, by_facet):
    """How many of the keys concatenated in ``keys`` carry each code of the counted
    facets, each looked for in its facet's position (``str.count`` per code, C speed,
    since a facet has tens of values, not thousands)."""
    counts = {}
    for position, name in enumerate(COUNTED_FACETS):
        column = keys[position::KEY_LENGTH]
        for code, _value in by_facet[name]:
            counts[code] = column.count(code)
    return counts


def _facet_counts(codes, by_facet):
    """Facet → value → count, from the counts per code."""
    return {name: Counter({value: codes.get(code, 0) for code, value in by_facet[name]}) for name in COUNTED_FACETS}


def _move_lapsed(counted, valid):
    """Stored as valid, less valid today: those past their date, which read expired."""
    lapsed = counted["status"]["valid"] - valid
    if lapsed:
        counted["status"]["valid"] -= lapsed
        counted["status"]["expired"] += lapsed


def _facet_lists(counted):
    """Facet counts as the engines answer them: (value, count) pairs, most first."""
    return (
        {
            name: sorted(
                ((value, count) for value, count in counted[name].items() if value and count > 0),
                key=lambda pair: (-pair[1], pair[0]),
            )
            for name in FACETS
        }
        if counted
        else {}
    )


# --- writing documents ------------------------------------------------------------------


def _date(value):
    return value.isoformat() if isinstance(value, date) else str(value or "")


def delete_numbers(connection, numbers):
    rows = []
    for number in numbers:
        row = connection.execute(
            "SELECT c.id, d.doc FROM certs c JOIN docs d ON d.id = c.id WHERE c.number = ?", (number,)
        ).fetchone()
        if row is not None:
            rows.append(row)
    _adjust_broad_counts(connection, [identifier for identifier, _doc in rows], -1)
    for identifier, doc in rows:
        _remove_suggestions(connection, json.loads(doc))
        connection.execute("DELETE FROM fts WHERE rowid = ?", (identifier,))
        connection.execute("DELETE FROM usccs WHERE id = ?", (identifier,))
        connection.execute("DELETE FROM certs WHERE id = ?", (identifier,))
        connection.execute("DELETE FROM keys WHERE id = ?", (identifier,))
        connection.execute("DELETE FROM docs WHERE id = ?", (identifier,))


# --- the counts of broad queries (EmbeddedEngine._counting) ------------------------------

BROAD_ROWS = "FROM fts CROSS JOIN keys k ON k.id = fts.rowid WHERE fts MATCH :match"


def walk_matches(connection, match, low=0, high=None):
    """The keys of the certificates ``match`` matches (with ids from ``low`` to
    ``high``), run together; their dates valid until, comma-separated; their number."""
    keys, dates, total = connection.execute(
        f"SELECT group_concat(k.facets, ''), group_concat(nullif(k.valid_until, ''), ','), count(*) {BROAD_ROWS} "
        "AND fts.rowid BETWEEN :low AND :high",
        {"match": match, "low": low, "high": (1 << 63) - 1 if high is None else high},
    ).fetchone()
    return keys or "", dates or "", total


def _joined_walks(walks):
    keys, dates, totals = zip(*walks, strict=True)
    return "".join(keys), ",".join(part for part in dates if part), sum(totals)


def _is_broad(connection, total):
    """Whether a text query matching ``total`` certificates is broad: its counts are
    worth keeping (:data:`BROAD_SHARE`, :data:`BROAD_FROM`)."""
    everything = connection.execute("SELECT max(id) FROM keys").fetchone()[0] or 0
    return total >= max(BROAD_FROM, BROAD_SHARE * everything)


def _room_to_keep(connection):
    """Whether ``broad_counts`` keeps fewer than :data:`BROAD_KEPT` queries."""
    return connection.execute("SELECT count(*) FROM broad_counts").fetchone()[0] < BROAD_KEPT


def _kept_counts(connection, match):
    """(total, codes, dates) kept for ``match`` (:func:`store_broad_count`), or None."""
    row = connection.execute("SELECT total, codes, valid_until FROM broad_counts WHERE match = ?", (match,)).fetchone()
    return None if row is None else (row[0], json.loads(row[1]), json.loads(row[2]))


def store_broad_count(connection, match, walk=None):
    """Count ``match`` and keep its counts in ``broad_counts`` if it is broad
    (:data:`BROAD_SHARE`, :data:`BROAD_FROM`), not kept yet, and fewer than
    :data:`BROAD_KEPT` are; in a write transaction, so no write falls between the
    count and the row. ``walk(match)`` reads the matches (:func:`walk_matches`, in
    parts), else this connection does. Its (total, codes, dates): the matches, how
    many carry each key character, how many stored as valid expire on each date."""
    kept = _kept_counts(connection, match)
    if kept is not None:
        return kept
    keys, dates, total = walk(match) if walk else walk_matches(connection, match)
    counts = _counted_codes(keys, _codes_by_facet(_facet_codes(connection)))
    codes = {code: count for code, count in counts.items() if count}
    expiring = dict(Counter(dates.split(","))) if dates else {}
    if _room_to_keep(connection) and _is_broad(connection, total):
        connection.execute(
            "INSERT INTO broad_counts (match, total, codes, valid_until) VALUES (?, ?, ?, ?)",
            (match, total, json.dumps(codes), json.dumps(expiring)),
        )
    return total, codes, expiring


def _stored_broad_count(connection, match, today, facets, by_facet):
    """(total, valid, counts) of ``match`` from ``broad_counts``, as
    :func:`_count_and_facets` counts them; None when it is not kept."""
    kept = _kept_counts(connection, match)
    return None if kept is None else _broad_answer(*kept, today, facets, by_facet)


def _broad_answer(total, codes, dates, today, facets, by_facet):
    """(total, valid, counts) as :func:`_count_and_facets` counts them, from what
    :func:`store_broad_count` keeps."""
    valid = sum(count for until, count in dates.items() if until >= today)
    if not facets:
        return total, valid, {}
    counted = _facet_counts(codes, by_facet)
    _move_lapsed(counted, valid)
    return total, valid, counted


def _matching_keys(connection, match, identifiers):
    """The keys (facets, valid until) of those of ``identifiers`` that ``match`` matches."""
    if len(identifiers) <= BROAD_PROBE_IDS:
        probe = f"SELECT k.facets, k.valid_until {BROAD_ROWS} AND fts.rowid = :id"
        rows = []
        for identifier in identifiers:
            rows.extend(connection.execute(probe, {"match": match, "id": identifier}))
        return rows
    wanted = set(identifiers)
    rows = connection.execute(
        f"SELECT k.id, k.facets, k.valid_until {BROAD_ROWS} AND fts.rowid BETWEEN :low AND :high",
        {"match": match, "low": min(identifiers), "high": max(identifiers)},
    )
    return [(facets, until) for identifier, facets, until in rows if identifier in wanted]


def _adjust_broad_counts(connection, identifiers, sign):
    """Add (``sign`` 1, after writing them) or take away (-1, before deleting them)
    the certificates ``identifiers`` in the kept counts of every broad query."""
    if not identifiers:
        return
    for match, total, codes, dates in connection.execute("SELECT * FROM broad_counts").fetchall():
        rows = _matching_keys(connection, match, identifiers)
        if not rows:
            continue
        codes, dates = Counter(json.loads(codes)), Counter(json.loads(dates))
        for facets, until in rows:
            # The counted facets' characters (distinct: each stands for one facet's value).
            codes.update(dict.fromkeys(facets[: len(COUNTED_FACETS)], sign))
            if until:
                dates[until] += sign
        connection.execute(
            "UPDATE broad_counts SET total = ?, codes = ?, valid_until = ? WHERE match = ?",
            (
                total + sign * len(rows),
                json.dumps({code: count for code, count in codes.items() if count}),
                json.dumps({until: count for until, count in dates.items() if count}),
                match,
            ),
        )


def count_broad_queries_afresh(connection, matches):
    """A rebuilt generation's counts of the broad queries its predecessor kept."""
    connection.execute("DELETE FROM broad_counts")
    for match in matches[:BROAD_KEPT]:
        store_broad_count(connection, match)


FIRST_FACET_CODE = 0x100


def _facet_codes(connection):
    """(facet, value) → the character that stands for it in ``certs.facets``."""
    return {
        (facet, value): code for facet, value, code in connection.execute("SELECT facet, value, code FROM facet_codes")
    }


def _facet_key(connection, codes, stored):
    """A document's filterable values as one character each, in :data:`KEY_FACETS`
    order, new values given the next free character."""
    key = []
    for facet, value in (
        ("category", stored["category"]),
        ("body", stored["body"]),
        ("region", stored["province"]),
        ("status", stored["status"]),
        ("group", stored["group"]),
        ("prefecture", stored["region"]),
    ):
        code = codes.get((facet, value))
        if code is None:
            code = chr(FIRST_FACET_CODE + len(codes))
            connection.execute("INSERT INTO facet_codes (facet, value, code) VALUES (?, ?, ?)", (facet, value, code))
            codes[(facet, value)] = code
        key.append(code)
    return "".join(key)


def prepare_documents(documents):
    """The analysed form of ``documents``, all that writing them needs besides ids
    and facet keys: per document its stored dict, its JSON, its full-text column
    texts, its autocomplete texts with their keys and its spelling vocabulary. Pure
    Python, no database: a rebuild runs it in worker processes."""
    prepared = []
    for document in documents:
        stored = {**document, "issued_on": _date(document["issued_on"]), "expires_on": _date(document["expires_on"])}
        columns = analyse_document(document)
        prepared.append(
            (
                stored,
                json.dumps(stored, ensure_ascii=False),
                tuple(" ".join(columns[column]) for column in TEXT_COLUMNS),
                tuple((text, suggestion_keys(text)) for text in suggestion_texts(stored)),
                tuple(
                    token
                    for column in TYPO_VOCABULARY_COLUMNS
                    for token in columns[column]
                    if typo_distance_allowed(token)
                ),
            )
        )
    return prepared


def _keys_row(identifier, stored, facet_key):
    return (identifier, stored["expires_on"] if stored["status"] == "valid" else "", facet_key)


def _cert_row(identifier, stored):
    return (
        identifier,
        stored["number"],
        stored["status"],
        stored["expires_on"],
        stored["issued_on"],
        stored["category"],
        stored["group"],
        stored["body"],
        stored["region"],
        stored["province"],
        stored.get("updated_at", ""),
    )


def prepared_batches(batches, processes=1):
    """:func:`prepare_documents` of each batch, in order; with ``processes`` > 1 in a
    pool of worker processes, at most a batch per worker ahead of the writer so
    memory stays flat."""
    if processes <= 1:
        for batch in batches:
            yield prepare_documents(batch)
        return
    jieba.initialize()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pending = deque()
        for batch in batches:
            pending.append(pool.apply_async(prepare_documents, (batch,)))
            if len(pending) > processes:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


INSERT_CERT = (
    "INSERT INTO certs (id, number, status, expires_on, issued_on, category, grp, body, region, province, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_KEYS = "INSERT INTO keys (id, valid_until, facets) VALUES (?, ?, ?)"
INSERT_DOC = "INSERT INTO docs (id, doc) VALUES (?, ?)"
INSERT_FTS = f"INSERT INTO fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?{', ?' * len(FTS_COLUMNS)})"
INSERT_USCC = (
    "INSERT OR IGNORE INTO usccs (uscc, issued_on, number, id, valid_until, facets) VALUES (?, ?, ?, ?, ?, ?)"
)


def _uscc_rows(identifier, stored, facet_key):
    _identifier, valid_until, facets = _keys_row(identifier, stored, facet_key)
    return [
        (uscc, stored["issued_on"], stored["number"], identifier, valid_until, facets)
        for uscc in stored.get("usccs", [])
    ]


def _rows_for(connection, select, values):
    """The rows of ``select``, whose last condition is ``IN ({})``, for all of
    ``values``, asked 500 at a time (SQLite caps the parameters of one statement)."""
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        yield from connection.execute(select.format(", ".join("?" * len(chunk))), chunk)


def _stored(connection, table, column, values):
    """Which of ``values`` ``table`` already holds in ``column``."""
    return {row[0] for row in _rows_for(connection, f"SELECT {column} FROM {table} WHERE {column} IN ({{}})", values)}


def _numbers_present(connection, numbers):
    return _stored(connection, "certs", "number", numbers)


def _ids_of(connection, numbers):
    """Number → id of the ``numbers`` the index holds."""
    return dict(_rows_for(connection, "SELECT number, id FROM certs WHERE number IN ({})", numbers))


def upgrade_from_format_3(connection):
    """Format 3 → 4 in place (then :func:`upgrade_from_format_4`), without analysing
    any text again (seconds for a million certificates): the ``keys`` table is made
    from ``certs``, whose own facet key gives way to it. Run in a write transaction; a second process that
    waited for it finds the work done."""
    if connection.execute("PRAGMA user_version").fetchone()[0] != 3:
        return
    connection.execute(KEYS_TABLE)
    codes = _facet_codes(connection)
    rows = connection.execute(
        "SELECT id, status, expires_on, category, grp, body, region, province FROM certs ORDER BY id"
    ).fetchall()
    keys = []
    for identifier, status, expires_on, category, group, body, region, province in rows:
        stored = {
            "status": status,
            "expires_on": expires_on,
            "category": category,
            "group": group,
            "body": body,
            "region": region,
            "province": province,
        }
        keys.append(_keys_row(identifier, stored, _facet_key(connection, codes, stored)))
    connection.executemany(INSERT_KEYS, keys)
    for statement in KEYS_INDEXES.split(";"):
        connection.execute(statement)
    connection.execute("ALTER TABLE certs DROP COLUMN facets")
    for index in FORMAT_3_INDEXES:
        connection.execute(f"DROP INDEX IF EXISTS {index}")
    connection.execute("PRAGMA user_version = 4")


def upgrade_from_format_4(connection):
    """Format 4 → 5 in place: ``usccs`` gained each certificate's issue date and
    number, which :func:`upgrade_from_format_6` writes with the rest."""
    if connection.execute("PRAGMA user_version").fetchone()[0] != 4:
        return
    connection.execute("PRAGMA user_version = 5")


def upgrade_from_format_5(connection):
    """Format 5 → 6 in place: ``fts`` gains its ``filters`` column. FTS5 cannot add a
    column, so the table is written again from its own text (no analysis) and
    ``keys`` (about a minute for a million certificates)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] != 5:
        return
    connection.create_function("filter_tokens", 1, filter_tokens, deterministic=True)
    connection.execute("ALTER TABLE fts RENAME TO fts_format_5")
    connection.execute(FTS_TABLE)
    columns = ", ".join(TEXT_COLUMNS)
    old_columns = ", ".join(f"f.{column}" for column in TEXT_COLUMNS)
    connection.execute(
        f"INSERT INTO fts (rowid, {columns}, {FILTERS_COLUMN}) "
        f"SELECT f.rowid, {old_columns}, filter_tokens(k.facets) FROM fts_format_5 f JOIN keys k ON k.id = f.rowid"
    )
    connection.execute("DROP TABLE fts_format_5")
    connection.execute(BROAD_COUNTS_TABLE)
    connection.execute("PRAGMA user_version = 6")


def upgrade_from_format_6(connection):
    """Format 6 → 7 in place: ``usccs`` is written again with each certificate's
    issue date and number from ``certs`` and its key from ``keys`` (seconds for a
    million)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] != 6:
        return
    connection.execute("ALTER TABLE usccs RENAME TO usccs_format_6")
    connection.execute("DROP INDEX IF EXISTS usccs_id")
    for statement in USCCS_TABLE.split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute(
        "INSERT INTO usccs (uscc, issued_on, number, id, valid_until, facets) "
        "SELECT u.uscc, c.issued_on, c.number, u.id, k.valid_until, k.facets "
        "FROM usccs_format_6 u JOIN certs c ON c.id = u.id JOIN keys k ON k.id = u.id"
    )
    connection.execute("DROP TABLE usccs_format_6")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# Each moves an index one format on, or leaves one of another format alone.
UPGRADES = (upgrade_from_format_3, upgrade_from_format_4, upgrade_from_format_5, upgrade_from_format_6)


def insert_new_documents(connection, prepared):
    """A rebuild's bulk write of :func:`prepare_documents` output: one ``executemany``
    per table, under ids after the largest. A number the generation already has was
    written by a change made while the rebuild runs, which is at least as recent: it
    is kept. The spelling tables are left to :func:`finish_rebuild`."""
    present = _numbers_present(connection, [entry[0]["number"] for entry in prepared])
    identifier = connection.execute("SELECT coalesce(max(id), 0) FROM certs").fetchone()[0]
    certs, keys, docs, fts, usccs, suggestions = [], [], [], [], [], []
    codes = _facet_codes(connection)
    for stored, doc, texts, document_suggestions, _vocabulary in prepared:
        if stored["number"] in present:
            continue
        identifier += 1
        facet_key = _facet_key(connection, codes, stored)
        certs.append(_cert_row(identifier, stored))
        keys.append(_keys_row(identifier, stored, facet_key))
        docs.append((identifier, doc))
        fts.append((identifier, *texts, filter_tokens(facet_key)))
        usccs.extend(_uscc_rows(identifier, stored, facet_key))
        suggestions.extend(document_suggestions)
    connection.executemany(INSERT_CERT, certs)
    connection.executemany(INSERT_KEYS, keys)
    connection.executemany(INSERT_DOC, docs)
    connection.executemany(INSERT_FTS, fts)
    connection.executemany(INSERT_USCC, usccs)
    _add_suggestions(connection, suggestions)


def write_documents(connection, documents):
    """Insert or replace ``documents`` (from :func:`certificate_document`), keeping the
    autocomplete and spelling tables up to date. A certificate already indexed keeps
    its id, so ids keep the order certificates entered the index (broad queries rank
    the newest first, see ``EmbeddedEngine._ranked_window``)."""
    numbers = [document["number"] for document in documents]
    kept = _ids_of(connection, numbers)
    delete_numbers(connection, numbers)
    newest = connection.execute("SELECT coalesce(max(id), 0) FROM certs").fetchone()[0]
    codes = _facet_codes(connection)
    vocabulary = set()
    suggestions = []
    written = []
    for stored, doc, texts, document_suggestions, document_vocabulary in prepare_documents(documents):
        identifier = kept.get(stored["number"])
        if identifier is None:
            newest += 1
            identifier = newest
        written.append(identifier)
        facet_key = _facet_key(connection, codes, stored)
        connection.execute(INSERT_CERT, _cert_row(identifier, stored))
        connection.execute(INSERT_KEYS, _keys_row(identifier, stored, facet_key))
        connection.execute(INSERT_DOC, (identifier, doc))
        connection.execute(INSERT_FTS, (identifier, *texts, filter_tokens(facet_key)))
        connection.executemany(INSERT_USCC, _uscc_rows(identifier, stored, facet_key))
        suggestions.extend(document_suggestions)
        vocabulary.update(document_vocabulary)
    _adjust_broad_counts(connection, written, 1)
    _add_suggestions(connection, suggestions)
    _add_words(connection, vocabulary)


def finish_rebuild(connection):
    """Make the spelling tables of a freshly built generation from its vocabulary, in
    a few set-wise statements rather than one per document."""
    connection.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, 'col')")
    placeholders = ", ".join("?" * len(TYPO_VOCABULARY_COLUMNS))
    vocabulary = {
        term
        for (term,) in connection.execute(
            f"SELECT DISTINCT term FROM temp.fts_terms WHERE col IN ({placeholders})", TYPO_VOCABULARY_COLUMNS
        )
        if typo_distance_allowed(term)
    }
    connection.execute("DELETE FROM words")
    connection.execute("DELETE FROM word_variants")
    _add_words(connection, vocabulary)


def _add_words(connection, vocabulary):
    if not vocabulary:
        return
    words = sorted(vocabulary)
    known = _stored(connection, "words", "word", words)
    new = [word for word in words if word not in known]
    connection.executemany("INSERT OR IGNORE INTO words (word) VALUES (?)", [(word,) for word in new])
    connection.executemany(
        "INSERT OR IGNORE INTO word_variants (variant, word) VALUES (?, ?)",
        [(variant, word) for word in new for variant in word_variants(word)],
    )


def _add_suggestions(connection, suggestions):
    """Count one more document for each ``(text, keys)`` of ``suggestions`` (a text
    repeated counts once per repetition); the keys of new texts are added."""
    weights = Counter(text for text, _keys in suggestions)
    keys = dict(suggestions)
    texts = list(weights)
    known = _stored(connection, "suggestions", "text", texts)
    connection.executemany(
        "INSERT INTO suggestions (text, weight) VALUES (?, ?) ON CONFLICT (text) DO UPDATE SET weight = weight + ?",
        [(text, weight, weight) for text, weight in weights.items()],
    )
    connection.executemany(
        "INSERT OR IGNORE INTO suggestion_keys (key, text) VALUES (?, ?)",
        [(key, text) for text in texts if text not in known for key in keys[text]],
    )


def _remove_suggestions(connection, document):
    texts = suggestion_texts(document)
    connection.executemany("UPDATE suggestions SET weight = weight - 1 WHERE text = ?", [(text,) for text in texts])
    gone = (
        [
            row[0]
            for row in connection.execute(
                f"SELECT text FROM suggestions WHERE weight <= 0 AND text IN ({', '.join('?' * len(texts))})", texts
            )
        ]
        if texts
        else []
    )
    connection.executemany("DELETE FROM suggestions WHERE text = ?", [(text,) for text in gone])
    connection.executemany(
        "DELETE FROM suggestion_keys WHERE key = ? AND text = ?",
        [(key, text) for text in gone for key in suggestion_keys(text)],
    )


def clear_tables(connection):
    tables = ("certs", "keys", "docs", "fts", "usccs", "suggestions", "suggestion_keys", "words", "word_variants")
    for table in (*tables, "broad_counts"):
        connection.execute(f"DELETE FROM {table}")
