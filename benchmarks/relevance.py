"""Lookup relevance: precision@1, recall@10 and MRR per kind of query, per engine.

Builds a throwaway site (SQLite in a temporary folder, migrated), imports through
the real importer (``lookup.importer.import_file``) three files in the exchange
format of ``certificate-data.md``: the specification's sample certificates, the
hand-written certificates of ``benchmarks/data/relevance_certificates.csv`` and
``--count`` synthetic ones (``lookup.synthetic``, generated in a transaction that is
rolled back once written out as CSV, so they too arrive through the importer). Trace
codes, which the exchange format does not carry, are issued afterwards.

Then, for each engine (embedded; Elasticsearch on an osmem server; the cluster at
``ELASTICSEARCH_URL`` when set, in indices of its own removed afterwards) it
rebuilds the index and asks ``GET /api/v1/lookup/`` (Django's test client) every
query of ``benchmarks/data/relevance_queries.yaml`` and ``--derived`` more per kind
drawn from the synthetic certificates. What is relevant is judged on the imported
data, independently of the engines (see the YAML file's header). Prints, per engine
and kind, precision@1, recall@10 (of min(10, relevant)), MRR (first 20 results) and
the number of failed checks, then lists the failures. Asserts nothing.

    .venv/bin/python benchmarks/relevance.py
    .venv/bin/python benchmarks/relevance.py --count 5000 --engines embedded
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python benchmarks/relevance.py
"""

import argparse
import csv
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SPEC_SAMPLES = BASE_DIR / "cms" / "demo" / "data" / "sample-certificates.csv"
PAGE_SIZE = 20
KINDS = (
    "certificate number",
    "trace code",
    "uscc",
    "chinese word",
    "company part",
    "model number",
    "english singular/plural",
    "brand + product",
    "filters",
    "valid first",
    "english typo",
    "pinyin",
)
COMPANY_FORMS = ("集团有限公司", "股份有限公司", "科技有限公司", "有限责任公司", "有限公司", "公司")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
WORD = re.compile(r"[a-z]+")


def fold(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def fold_model(text):
    return re.sub(r"[^a-z0-9]+", "", fold(text))


def word_forms(word):
    """A word and its plural (or singular) spellings, for the oracle."""
    forms = {word, word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


# --- set-up -------------------------------------------------------------------------------


def set_up_django(work_dir):
    """Django on a fresh SQLite database in ``work_dir``; the cluster URL, if any, is
    taken out of the environment so that nothing but this benchmark's own indices
    is ever written to it."""
    cluster_url = os.environ.pop("ELASTICSEARCH_URL", "")
    os.environ["DATA_DIR"] = str(work_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{work_dir / 'db.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    for name in ("axes", "django_tasks", "lookup", "elastic_transport"):
        logging.getLogger(name).setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    return cluster_url


# --- the data set ---------------------------------------------------------------------------


def export_rows(certificates):
    """Certificates as rows of the exchange format."""
    from lookup.importer.columns import COLUMNS, ORGANISATION_ROLES

    for certificate in certificates:
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            number=certificate.number,
            status=certificate.status,
            status_changed_on=certificate.status_changed_on or "",
            status_reason=certificate.status_reason,
            issued_on=certificate.issued_on,
            expires_on=certificate.expires_on,
            scheme=certificate.scheme,
            rules=";".join(certificate.rules),
            standards=";".join(certificate.standards),
            mode=certificate.mode,
            product_name=certificate.product_name,
            product_name_en=certificate.product_name_en,
            models=";".join(certificate.product_models),
            brand=certificate.brand,
            category=certificate.category.code,
            body=certificate.body.code,
            mark=certificate.mark,
            accreditation_mark=certificate.accreditation_mark,
            energy_saving_kwh_per_year=certificate.energy_saving_kwh_per_year or "",
        )
        for role in ORGANISATION_ROLES:
            organisation = getattr(certificate, role)
            if organisation is None:
                continue
            row.update(
                {
                    f"{role}_name": organisation.name_zh,
                    f"{role}_name_en": organisation.name_en,
                    f"{role}_address": organisation.address,
                    f"{role}_address_en": organisation.address_en,
                    f"{role}_uscc": organisation.uscc or organisation.registration_number,
                    f"{role}_region": organisation.region_code,
                    f"{role}_country": organisation.country,
                    f"{role}_latitude": organisation.latitude if organisation.latitude is not None else "",
                    f"{role}_longitude": organisation.longitude if organisation.longitude is not None else "",
                }
            )
        yield row


class RolledBack(Exception):
    pass


def synthetic_file(path, count, seed):
    """Write ``count`` synthetic certificates to ``path`` in the exchange format,
    leaving the database as it was."""
    from django.db import transaction

    from lookup.importer.columns import COLUMNS
    from lookup.models import Certificate
    from lookup.synthetic import generate_certificates

    try:
        with transaction.atomic():
            generate_certificates(count, seed=seed)
            certificates = Certificate.objects.select_related(
                "category", "body", "client", "producer", "manufacturer"
            ).order_by("number")
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=COLUMNS)
                writer.writeheader()
                writer.writerows(export_rows(certificates))
            raise RolledBack
    except RolledBack:
        pass


def import_files(paths):
    from lookup.importer import format_error, import_file

    for path in paths:
        run = import_file(path)
        if run.outcome != "imported":
            errors = "\n".join(format_error(error) for error in run.errors[:20])
            raise SystemExit(f"{path.name} was rejected:\n{errors}")
        print(f"  imported {path.name}: {run.rows_created} created, {run.rows_updated} updated")


def issue_trace_codes(trace_codes):
    from lookup.models import Certificate, TraceCode

    for number, codes in trace_codes.items():
        certificate = Certificate.objects.get(number=number)
        for code in codes:
            TraceCode.objects.get_or_create(code=code, defaults={"certificate": certificate})


# --- what is relevant ------------------------------------------------------------------------


@dataclass
class Record:
    """What the oracle knows of one certificate."""

    number: str
    status: str
    valid: bool
    category: str
    group: str
    body: str
    region: str
    names: list
    companies: list
    models: list
    english_words: set
    pinyin: set
    usccs: set
    brand: str
    product_name: str
    product_name_en: str
    client_name: str
    client_region: str
    is_synthetic: bool = False
    trace_codes: list = field(default_factory=list)


def han_pinyin(names):
    """Toneless pinyin of every run of 2 to 5 Chinese characters in ``names``."""
    from pypinyin import lazy_pinyin

    readings = set()
    for name in names:
        for run in HAN_RUN.findall(name):
            syllables = lazy_pinyin(run)
            for length in range(2, 6):
                for start in range(len(syllables) - length + 1):
                    readings.add("".join(syllables[start : start + length]))
    return readings


def load_records(today, synthetic_numbers):
    from lookup.models import Certificate

    records = []
    certificates = Certificate.objects.select_related(
        "category__group", "body", "client", "producer", "manufacturer"
    ).prefetch_related("trace_codes")
    for certificate in certificates:
        organisations = [certificate.client, certificate.producer, certificate.manufacturer]
        organisations = [organisation for organisation in organisations if organisation is not None]
        companies = [fold(name) for o in organisations for name in (o.name_zh, o.name_en) if name]
        names = [
            fold(text)
            for text in (
                certificate.product_name,
                certificate.product_name_en,
                certificate.brand,
                certificate.category.name_zh,
                certificate.category.name_en,
            )
            if text
        ]
        names.extend(companies)
        english = " ".join(
            fold(text)
            for text in (
                certificate.product_name_en,
                certificate.brand,
                certificate.category.name_en,
                *(o.name_en for o in organisations),
            )
            if text
        )
        region = certificate.client.region_code if certificate.client else ""
        records.append(
            Record(
                number=certificate.number,
                status=certificate.effective_status(today),
                valid=certificate.effective_status(today) == "valid",
                category=certificate.category.code,
                group=certificate.category.group.number,
                body=certificate.body.code,
                region=region,
                names=names + [fold(model) for model in certificate.product_models],
                companies=companies,
                models=[fold_model(model) for model in certificate.product_models],
                english_words=set(WORD.findall(english)),
                pinyin=han_pinyin([certificate.product_name, certificate.brand, *(o.name_zh for o in organisations)]),
                usccs={o.uscc for o in organisations if o.uscc},
                brand=certificate.brand,
                product_name=certificate.product_name,
                product_name_en=certificate.product_name_en,
                client_name=certificate.client.name_zh if certificate.client else "",
                client_region=region,
                is_synthetic=certificate.number in synthetic_numbers,
                trace_codes=[trace.code for trace in certificate.trace_codes.all()],
            )
        )
    return records


def matches(spec, record):
    """Whether ``record`` is relevant under ``spec`` (see the YAML file's header)."""
    for key, value in spec.items():
        if key == "numbers" and record.number not in value:
            return False
        if key == "text" and not any(fold(value) in name for name in record.names):
            return False
        if key == "company" and not any(fold(value) in name for name in record.companies):
            return False
        if key == "model" and not any(model.startswith(fold_model(value)) for model in record.models):
            return False
        if key == "word" and not (word_forms(fold(value)) & record.english_words):
            return False
        if key == "pinyin" and fold(value) not in record.pinyin:
            return False
        if key == "valid" and record.valid != value:
            return False
        if key == "all" and not all(matches(part, record) for part in value):
            return False
        if key == "any" and not any(matches(part, record) for part in value):
            return False
    return True


def within_filters(filters, record):
    def values(name):
        raw = filters.get(name)
        return [part.strip() for part in str(raw).split(",")] if raw else []

    if values("category") and record.category not in values("category"):
        return False
    if values("scenario") and record.group not in [f"{int(value):02d}" for value in values("scenario")]:
        return False
    if values("status") and record.status not in values("status"):
        return False
    if values("body") and record.body not in values("body"):
        return False
    regions = values("region")
    if regions:
        return any(
            record.region[:2] == region[:2] if region.endswith("0000") else record.region == region
            for region in regions
        )
    return True


# --- queries -------------------------------------------------------------------------------


@dataclass
class LabelledQuery:
    kind: str
    q: str
    relevant: dict
    filters: dict = field(default_factory=dict)
    checks: tuple = ("first",)
    source: str = "file"


def load_labelled(path):
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = [
        LabelledQuery(
            kind=entry["kind"],
            q=str(entry.get("q") or ""),
            relevant=entry.get("relevant") or {},
            filters={name: str(value) for name, value in (entry.get("filters") or {}).items()},
            checks=tuple(entry.get("checks") or ("first",)),
        )
        for entry in data["queries"]
    ]
    unknown = {query.kind for query in queries} - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown kinds in {path.name}: {', '.join(sorted(unknown))}")
    return data.get("trace_codes") or {}, queries


FULL_WIDTH = str.maketrans({chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F)})


def typed(code, rng):
    """A code as a person might type or paste it."""
    style = rng.randrange(4)
    if style == 0:
        return code.lower()
    if style == 1:
        return " ".join(code[index : index + 4] for index in range(0, len(code), 4))
    if style == 2:
        return f"{code[:5]}-{code[5:8]}-{code[8:11]}-{code[11:]}"
    return code.translate(FULL_WIDTH)


def han_words(text):
    import jieba

    return [word for word in jieba.cut(text) if len(word) >= 2 and HAN_RUN.fullmatch(word)]


def distinctive_part(name):
    """A company name without its place and its legal form: "海川建材" from
    "青岛海川建材股份有限公司"."""
    from lookup.regions import divisions

    for form in COMPANY_FORMS:
        if name.endswith(form):
            name = name[: -len(form)]
            break
    places = sorted(
        {
            short
            for division in divisions().values()
            for short in (division.name_zh, re.sub("(省|市|地区|盟|自治区|自治州|特别行政区)$", "", division.name_zh))
        },
        key=len,
        reverse=True,
    )
    for place in places:
        if len(place) >= 2 and name.startswith(place) and len(name) - len(place) >= 2:
            return name[len(place) :]
    return name


def misspelt(word, rng):
    position = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(3)
    if edit == 0:
        return word[:position] + word[position + 1 :]
    if edit == 1:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    letters = [letter for letter in "aeiourstln" if letter != word[position]]
    return word[:position] + rng.choice(letters) + word[position + 1 :]


def typed_model(model, rng):
    """A model number as a reader might type it: any case, separators dropped,
    replaced by spaces or kept, or only its beginning (up to a digit at least)."""
    style = rng.randrange(5)
    if style == 0:
        return fold_model(model)
    if style == 1:
        return model.lower()
    if style == 2:
        return re.sub(r"[^A-Za-z0-9]+", " ", model).upper()
    if style == 3:
        return " ".join(re.findall(r"[A-Za-z]+|[0-9]+", model))
    folded = fold_model(model)
    beginning = folded[: max(4, len(folded) * 2 // 3)]
    return beginning if any(character.isdigit() for character in beginning) else folded


def english_part(name_en):
    """An English company name without its place and its legal form."""
    words = name_en.replace(",", " ").replace(".", " ").split()
    forms = {"co", "ltd", "group", "technology", "inc", "gmbh", "corporation", "limited"}
    while words and words[-1].lower() in forms:
        words.pop()
    return " ".join(words[1:3]) if len(words) > 2 else " ".join(words)


def derive_queries(records, per_kind, rng):
    """Queries of every kind made from the synthetic certificates, judged by the
    same oracle: the shapes of what readers type, on names the labelled file never saw."""
    from pypinyin import lazy_pinyin

    from lookup.codes import generate_trace_code
    from lookup.models import Certificate, TraceCode

    pool = [record for record in records if record.is_synthetic]
    if not pool or per_kind < 1:
        return []
    queries = []

    def add(kind, q, relevant, checks, filters=None):
        queries.append(LabelledQuery(kind, q, relevant, filters or {}, tuple(checks), source="derived"))

    def sample(records_):
        return rng.sample(records_, min(per_kind, len(records_)))

    def product_words(record):
        return [word for word in han_words(record.product_name) if word not in record.brand]

    for record in sample(pool):
        add("certificate number", typed(record.number, rng), {"numbers": [record.number]}, ["first"])
    for record in sample(pool):
        code = generate_trace_code(int(record.number[1:5]), record.body, record.category, rng=rng)
        TraceCode.objects.create(certificate=Certificate.objects.get(number=record.number), code=code)
        add("trace code", typed(code, rng), {"numbers": [record.number]}, ["first"])
    for record in sample([record for record in pool if record.usccs]):
        uscc = sorted(record.usccs)[0]
        numbers = [other.number for other in records if uscc in other.usccs]
        add("uscc", typed(uscc, rng), {"numbers": numbers}, ["first", "precise", "count"])
    for record in sample(pool):
        # a jieba word of the product name, or any two characters of it
        runs = [run for run in HAN_RUN.findall(record.product_name) if len(run) >= 2]
        words = product_words(record)
        if rng.random() < 0.5 and runs:
            run = rng.choice(runs)
            start = rng.randrange(len(run) - 1)
            word = run[start : start + 2]
        elif words:
            word = rng.choice(words)
        else:
            continue
        add("chinese word", word, {"text": word}, ["first", "precise"])
    for record in sample(pool):
        client = Certificate.objects.select_related("client").get(number=record.number).client
        if rng.random() < 0.3 and client.name_en:
            part = english_part(client.name_en)
            add("company part", part, {"company": part}, ["first"])
        else:
            part = distinctive_part(record.client_name)
            if len(part) >= 2:
                add("company part", part, {"company": part}, ["first", "precise"])
    # Model numbers proper: package sizes such as "500g/罐" or a bare "24" are not
    # what a reader types as a model.
    for record in sample([record for record in pool if record.models and len(record.models[0]) >= 5]):
        model = Certificate.objects.get(number=record.number).product_models[0]
        if not model.isascii():
            continue
        add("model number", typed_model(model, rng), {"model": fold_model(typed_model(model, rng))}, ["first"])
        queries[-1].relevant = {"model": fold_model(queries[-1].q)}
    with_english = [record for record in pool if WORD.findall(fold(record.product_name_en))]
    for record in sample(with_english):
        words = [word for word in WORD.findall(fold(record.product_name_en)) if len(word) > 3]
        if words:
            word = words[-1]
            if word.endswith("ies"):
                flipped = word[:-3] + "y"
            elif word.endswith("s") and not word.endswith("ss"):
                flipped = word[:-1]
            elif word.endswith("y"):
                flipped = word[:-1] + "ies"
            else:
                flipped = word + ("es" if word.endswith(("x", "ch", "sh")) else "s")
            query = flipped if len(words) < 2 or rng.random() < 0.5 else f"{words[-2]} {flipped}"
            relevant = {"word": word} if query == flipped else {"all": [{"word": words[-2]}, {"word": word}]}
            add("english singular/plural", query, relevant, ["first"])
    for record in sample(pool):
        words = product_words(record)
        if record.brand and words:
            word = rng.choice(words)
            joiner = " " if rng.random() < 0.7 else ""
            add(
                "brand + product",
                f"{record.brand}{joiner}{word}",
                {"all": [{"text": record.brand}, {"text": word}]},
                ["first", "precise"],
            )
    for record in sample(pool):
        choices = {
            "category": record.category,
            "scenario": record.group,
            "status": record.status,
            "body": record.body,
            "region": rng.choice([record.region, record.region[:2] + "0000"]) if record.region else None,
        }
        names = [name for name, value in choices.items() if value]
        filters = {name: choices[name] for name in rng.sample(names, min(len(names), rng.randint(1, 2)))}
        words = han_words(record.product_name)
        q = rng.choice(words) if words and rng.random() < 0.5 else ""
        add("filters", q, {"text": q} if q else {}, ["first", "precise", "count"], filters)
    for record in sample([record for record in pool if record.valid]):
        words = han_words(record.product_name)
        if words:
            word = words[-1]
            add("valid first", word, {"all": [{"text": word}, {"valid": True}]}, ["first", "valid_first"])
    typos = 0
    for record in rng.sample(with_english, len(with_english)):
        words = [word for word in WORD.findall(fold(record.product_name_en)) if len(word) >= 5]
        if not words or typos >= per_kind:
            continue
        word = rng.choice(words)
        typo = misspelt(word, rng)
        if len(word) >= 9 and rng.random() < 0.5:
            typo = misspelt(typo, rng)
        add("english typo", typo, {"word": word}, ["first"])
        typos += 1
    for record in sample(pool):
        words = [record.brand] if HAN_RUN.fullmatch(record.brand or "") else []
        words += product_words(record)
        if words:
            reading = "".join(lazy_pinyin(rng.choice(words)))
            add("pinyin", reading, {"pinyin": reading}, ["first"])
    return queries


# --- engines -------------------------------------------------------------------------------


@contextmanager
def embedded_engine():
    from django.test import override_settings

    with override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine"):
        yield


@contextmanager
def elasticsearch_engine(url, prefix, compatibility_headers):
    from django.test import override_settings

    from lookup.engines.base import get_engine, reset_engine

    with override_settings(
        LOOKUP_ENGINE="lookup.engines.elastic.ElasticsearchEngine",
        ELASTICSEARCH_URL=url,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_COMPATIBILITY_HEADERS=compatibility_headers,
        ELASTICSEARCH_TIMEOUT=30,
    ):
        try:
            yield
        finally:
            reset_engine()
            engine = get_engine()
            engine.drop()


@contextmanager
def osmem_engine():
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    try:
        with elasticsearch_engine(server.url, "relevance", compatibility_headers=False):
            yield
    finally:
        server.close()


# --- running and scoring --------------------------------------------------------------------


@dataclass
class Outcome:
    query: LabelledQuery
    numbers: list
    count: int
    relevant: set
    failures: list
    precision_at_1: float
    recall_at_10: float
    reciprocal_rank: float
    statuses: list


def ask(client, query):
    params = {"q": query.q, "page_size": PAGE_SIZE, "lang": "en", **query.filters}
    response = client.get("/api/v1/lookup/", params)
    if response.status_code != 200:
        return None, response
    return response.json(), response


def score(query, answer, response, records):
    relevant = {
        record.number
        for record in records
        if within_filters(query.filters, record) and matches(query.relevant, record)
    }
    if answer is None:
        return Outcome(query, [], 0, relevant, [f"HTTP {response.status_code}"], 0.0, 0.0, 0.0, [])
    numbers = [result["number"] for result in answer["results"]]
    statuses = [result["status"] for result in answer["results"]]
    first_hit = next((rank for rank, number in enumerate(numbers, start=1) if number in relevant), None)
    precision = 1.0 if numbers and numbers[0] in relevant else (1.0 if not relevant and not numbers else 0.0)
    recall = len(set(numbers[:10]) & relevant) / min(10, len(relevant)) if relevant else (0.0 if numbers else 1.0)
    failures = []
    if not relevant:
        failures.append("no relevant certificate in the data: the label is wrong")
    if "first" in query.checks and relevant and precision < 1:
        failures.append("top result not relevant" if numbers else "no result")
    if "precise" in query.checks and any(number not in relevant for number in numbers):
        failures.append(f"{sum(number not in relevant for number in numbers)} irrelevant result(s) on the page")
    if "count" in query.checks and answer["count"] != len(relevant):
        failures.append(f"count {answer['count']}, expected {len(relevant)}")
    if "valid_first" in query.checks:
        seen_other = False
        for status in statuses:
            if status != "valid":
                seen_other = True
            elif seen_other:
                failures.append("a valid certificate after one that is not")
                break
    if answer.get("degraded"):
        failures.append("answer degraded")
    return Outcome(
        query,
        numbers,
        answer["count"],
        relevant,
        failures,
        precision,
        recall,
        1 / first_hit if first_hit else 0.0,
        statuses,
    )


def run_engine(name, queries, records):
    from django.test import Client

    from lookup.engines.base import get_engine, reset_engine

    reset_engine()
    engine = get_engine()
    started = time.perf_counter()
    count = engine.rebuild()
    rebuild_seconds = time.perf_counter() - started
    client = Client()
    outcomes = []
    started = time.perf_counter()
    for query in queries:
        answer, response = ask(client, query)
        outcomes.append(score(query, answer, response, records))
    query_seconds = time.perf_counter() - started
    reset_engine()
    return {
        "name": name,
        "documents": count,
        "rebuild_seconds": rebuild_seconds,
        "query_ms": query_seconds * 1000 / max(1, len(queries)),
        "outcomes": outcomes,
    }


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def print_report(run, records_by_number, show_failures):
    outcomes = run["outcomes"]
    print()
    print(
        f"== {run['name']}: {run['documents']} documents, rebuilt in {run['rebuild_seconds']:.1f} s, "
        f"{run['query_ms']:.0f} ms per API request"
    )
    print(f"{'kind':26} {'queries':>7} {'P@1':>6} {'R@10':>6} {'MRR':>6} {'failed':>7}")
    by_kind = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.query.kind].append(outcome)
    for kind in [*KINDS, "all"]:
        group = outcomes if kind == "all" else by_kind.get(kind, [])
        if not group:
            continue
        print(
            f"{kind:26} {len(group):>7} {mean(o.precision_at_1 for o in group):>6.2f} "
            f"{mean(o.recall_at_10 for o in group):>6.2f} {mean(o.reciprocal_rank for o in group):>6.2f} "
            f"{sum(bool(o.failures) for o in group):>7}"
        )
    failed = [outcome for outcome in outcomes if outcome.failures]
    if failed and show_failures:
        print(f"-- failures ({run['name']})")
        for outcome in failed[:show_failures]:
            query = outcome.query
            filters = " ".join(f"{name}={value}" for name, value in query.filters.items())
            print(f"  [{query.kind}] q={query.q!r} {filters} ({query.source}): {'; '.join(outcome.failures)}")
            for number in outcome.numbers[:3]:
                record = records_by_number.get(number)
                mark = "+" if number in outcome.relevant else "-"
                if record:
                    print(f"      {mark} {number} {record.status:9} {record.product_name} | {record.client_name}")
            missing = sorted(outcome.relevant - set(outcome.numbers))[:2]
            for number in missing:
                record = records_by_number[number]
                print(f"      missed {number} {record.status:9} {record.product_name} | {record.client_name}")
        if len(failed) > show_failures:
            print(f"  ... and {len(failed) - show_failures} more")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="synthetic certificates (default 2,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--derived", type=int, default=15, help="queries per kind drawn from the data (default 15)")
    parser.add_argument(
        "--engines",
        default="embedded,osmem,cluster",
        help="comma-separated: embedded, osmem, cluster (default all; cluster only with ELASTICSEARCH_URL)",
    )
    parser.add_argument("--failures", type=int, default=40, help="failures listed per engine (default 40)")
    parser.add_argument("--queries", type=Path, default=DATA / "relevance_queries.yaml")
    parser.add_argument("--keep", action="store_true", help="keep the data set's folder to look into afterwards")
    args = parser.parse_args()

    work_dir = Path(tempfile.mkdtemp(prefix="greencert-relevance-"))
    try:
        run(args, work_dir)
    finally:
        if args.keep:
            print(f"\ndata set kept in {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
            from django.conf import settings

            if settings.configured:
                # config.settings.test's own temporary folder, where the embedded index is
                shutil.rmtree(settings.DATA_DIR, ignore_errors=True)


def run(args, work_dir):
    cluster_url = set_up_django(work_dir)
    today = date.today()
    trace_codes, labelled = load_labelled(args.queries)

    synthetic = work_dir / "synthetic-certificates.csv"
    synthetic_file(synthetic, args.count, args.seed)
    with synthetic.open(encoding="utf-8") as rows:
        synthetic_numbers = {row["number"] for row in csv.DictReader(rows)}
    import_files([SPEC_SAMPLES, DATA / "relevance_certificates.csv", synthetic])
    issue_trace_codes(trace_codes)
    records = load_records(today, synthetic_numbers)
    derived = derive_queries(records, args.derived, random.Random(args.seed))
    records = load_records(today, synthetic_numbers)
    queries = labelled + derived
    print(
        f"{len(records)} certificates ({len(synthetic_numbers)} synthetic); "
        f"{len(labelled)} labelled queries and {len(derived)} derived from the data"
    )

    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    contexts = {
        "embedded": embedded_engine,
        "osmem": osmem_engine,
        "cluster": lambda: elasticsearch_engine(
            cluster_url,
            f"relevance-{uuid.uuid4().hex[:12]}",
            os.environ.get("ELASTICSEARCH_COMPATIBILITY_HEADERS", "true").lower() in {"1", "true", "yes", "on"},
        ),
    }
    records_by_number = {record.number: record for record in records}
    runs = []
    for name in engines:
        if name == "cluster" and not cluster_url:
            print("\n(cluster: ELASTICSEARCH_URL is not set, skipped)")
            continue
        label = {"embedded": "embedded", "osmem": "elasticsearch on osmem", "cluster": "elasticsearch cluster"}[name]
        with contexts[name]():
            runs.append(run_engine(label, queries, records))
        print_report(runs[-1], records_by_number, args.failures)

    if len(runs) > 1:
        print("\n== precision@1 per kind, side by side")
        print(f"{'kind':26} " + " ".join(f"{run['name'][:22]:>23}" for run in runs))
        for kind in KINDS:
            cells = []
            for run in runs:
                group = [outcome for outcome in run["outcomes"] if outcome.query.kind == kind]
                cells.append(f"{mean(o.precision_at_1 for o in group):>23.2f}")
            print(f"{kind:26} " + " ".join(cells))


if __name__ == "__main__":
    main()
