"""Lookup engines side by side: latency per kind of query, one table.

Runs on the database the settings choose (fill it first; ``DATA_DIR`` outside the
repository)::

    export DATA_DIR=/work/bench-data DJANGO_SETTINGS_MODULE=config.settings.dev
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_certificates --count 1000000 --trace-codes 1
    .venv/bin/python manage.py rebuild_lookup_index
    .venv/bin/python benchmarks/lookup_engines.py

Four ways of answering the same kinds of query, each timed one query at a time
(p50/p95/p99 in milliseconds, wall clock, server side, no HTTP):

* **embedded**: the embedded engine (SQLite FTS5) over its whole index: ``search``
  of a page of 20 with facets and highlight, as the lookup pages ask.
* **elasticsearch**: the Elasticsearch engine on an osmem server the script starts
  (osmem-server, an in-memory OpenSearch-compatible server). osmem indexes tens of
  documents a second, so it holds a random subset (``--es-size``, at most
  ``--es-minutes`` of indexing) and is asked about certificates of that subset.
* **wagtail-db**: Wagtail's own database search backend (``wagtail.search``, the
  "default" backend on this database) over a proxy of the certificate model with the
  same fields, indexed for a random subset (``--wagtail-size``); no facets (it has
  none), filters as queryset filters.
* **icontains**: a plain ORM query, ``icontains`` over the same fields OR-ed
  together, count and first page ordered newest first (no facets); codes by exact
  match, trace codes through their certificate.

The last column is how many times faster the embedded engine's p50 is than
``icontains``'s. Queries are drawn from random certificates (``--seed``); the legs
over a subset draw them from that subset, so every leg is asked about documents it
holds. Asserts nothing.
"""

import argparse
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

KINDS = (
    "certificate number",
    "trace code",
    "USCC",
    "Chinese 2-char word",
    "full product name",
    "brand + product",
    "company distinctive part",
    "company full name",
    "English company name",
    "model without hyphen",
    "English word, singular",
    "English word, plural",
    "common word",
    "very common word",
    "filters only",
    "filtered + faceted text",
)
# Words most certificates have: "节能" (energy-saving) is in about one name in
# twenty-five, "有限公司" (Co., Ltd.) in every company name.
COMMON_WORDS = ("节能", "家用", "电机", "energy", "motor")
VERY_COMMON_WORDS = ("有限公司", "公司", "有限")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round((len(ordered) - 1) * fraction)))]


def english_plural(word):
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def queries_for(certificates, trace_codes, rng, limit):
    """Kind → list of (text, filters), from these certificates."""
    sample = certificates[:limit]
    english = [c.product_name_en.split()[-1].lower() for c in sample if c.product_name_en]
    singular = [word[:-1] if word.endswith("s") and not word.endswith("ss") else word for word in english]
    return {
        "certificate number": [(c.number, {}) for c in sample],
        "trace code": [(trace_codes[c.pk], {}) for c in sample if c.pk in trace_codes],
        "USCC": [(c.client.uscc, {}) for c in sample if c.client.uscc],
        "Chinese 2-char word": [(c.product_name[-2:], {}) for c in sample],
        "full product name": [(c.product_name, {}) for c in sample],
        "brand + product": [(f"{c.brand} {c.product_name[-2:]}", {}) for c in sample if c.brand],
        "company distinctive part": [(c.client.name_zh[2:4], {}) for c in sample if len(c.client.name_zh) > 6],
        "company full name": [(c.client.name_zh, {}) for c in sample],
        "English company name": [(c.client.name_en, {}) for c in sample if c.client.name_en],
        "model without hyphen": [
            (c.product_models[0].replace("-", "").lower(), {}) for c in sample if c.product_models
        ],
        "English word, singular": [(word, {}) for word in singular],
        "English word, plural": [(english_plural(word), {}) for word in singular],
        "common word": [(rng.choice(COMMON_WORDS), {}) for _ in sample],
        "very common word": [(rng.choice(VERY_COMMON_WORDS), {}) for _ in sample],
        "filters only": [("", {"status": "valid", "category": c.category.code}) for c in sample],
        "filtered + faceted text": [
            (c.product_name[-2:], {"status": "valid", "region": f"{c.client.region_code[:2]}0000"})
            for c in sample
            if c.client.region_code
        ],
    }


def time_queries(run, queries, budget_seconds):
    """Milliseconds per query (at least one query; stops when the budget is spent)
    and the mean number of matches."""
    times, totals = [], []
    started = time.monotonic()
    for text, filters in queries:
        begun = time.perf_counter()
        total = run(text, filters)
        times.append((time.perf_counter() - begun) * 1000)
        if total is not None:
            totals.append(total)
        if time.monotonic() - started > budget_seconds:
            break
    return times, (sum(totals) / len(totals) if totals else None)


def sample_certificates(queryset, count, rng):
    from lookup.models import Certificate

    ids = list(queryset.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    by_pk = Certificate.objects.select_related("client", "category").in_bulk(chosen)
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def trace_codes_of(certificates):
    from lookup.models import TraceCode

    codes = {}
    for certificate_id, code in TraceCode.objects.filter(certificate__in=certificates).values_list(
        "certificate_id", "code"
    ):
        codes.setdefault(certificate_id, code)
    return codes


# --- the legs -------------------------------------------------------------------------


def engine_runner(engine):
    """Each query as if asked for the first time: an engine's cached counts (the
    embedded engine keeps those of recent queries until the index changes) are
    forgotten first, so a word drawn twice is not measured from the cache. The
    counts the embedded engine keeps of broad queries (``broad_counts``, up to date
    with every write) are part of the index: they are forgotten once, before the
    first query, so each broad word's first time (which counts it and has it kept,
    on a thread) is in the figures."""
    from lookup.engines.query import build_query

    if hasattr(engine, "forget_broad_counts"):
        engine.forget_broad_counts()

    def run(text, filters):
        if hasattr(engine, "clear_caches"):
            engine.clear_caches()
        return engine.search(build_query(text, **filters)).total

    return run


def icontains_runner():
    from django.db.models import Q

    from lookup.codes import CodeKind
    from lookup.engines.query import build_query
    from lookup.models import Certificate

    fields = (
        "product_name",
        "product_name_en",
        "brand",
        "product_models",
        "client__name_zh",
        "client__name_en",
    )

    def run(text, filters):
        query = build_query(text, **filters)
        queryset = Certificate.objects.all()
        if query.code is not None:
            lookups = {
                CodeKind.CERTIFICATE: Q(number=query.code.value),
                CodeKind.TRACE: Q(trace_codes__code=query.code.value),
                CodeKind.USCC: Q(client__uscc=query.code.value)
                | Q(producer__uscc=query.code.value)
                | Q(manufacturer__uscc=query.code.value),
            }
            queryset = queryset.filter(lookups[query.code.kind])
        else:
            for word in text.split():
                condition = Q()
                for name in fields:
                    condition |= Q(**{f"{name}__icontains": word})
                queryset = queryset.filter(condition)
        if query.statuses:
            queryset = queryset.filter(status__in=query.statuses)
        if query.categories:
            queryset = queryset.filter(category__code__in=query.categories)
        if query.regions:
            queryset = queryset.filter(client__region_code__startswith=query.regions[0][:2])
        total = queryset.count()
        list(queryset.order_by("-issued_on", "number").values_list("number", flat=True)[:20])
        return total

    return run


def wagtail_model():
    """A proxy of the certificate model that Wagtail's search indexes, with the
    fields the engines search."""
    from modelsearch.abstract_models import TextIDGenericRelation

    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    from lookup.models import Certificate

    class BenchCertificate(index.Indexed, Certificate):
        search_fields = [
            index.SearchField("number"),
            index.SearchField("product_name"),
            index.SearchField("product_name_en"),
            index.SearchField("brand"),
            index.SearchField("models_text"),
            index.RelatedFields("client", [index.SearchField("name_zh"), index.SearchField("name_en")]),
            index.FilterField("status"),
            index.FilterField("category_id"),
        ]

        class Meta:
            proxy = True
            app_label = "lookup"

        def models_text(self):
            return " ".join(self.product_models or [])

    # Wagtail relates its index entries to every indexed model when the apps are
    # ready; this one is made later, so it is related here (the PostgreSQL backend
    # searches through the relation).
    TextIDGenericRelation(IndexEntry).contribute_to_class(BenchCertificate, "index_entries")
    return BenchCertificate


def wagtail_runner(model, backend):
    from lookup.codes import CodeKind
    from lookup.engines.query import build_query
    from lookup.models import ProductCategory

    categories = dict(ProductCategory.objects.values_list("code", "pk"))

    def run(text, filters):
        query = build_query(text, **filters)
        queryset = model.objects.all()
        if query.statuses:
            queryset = queryset.filter(status__in=query.statuses)
        if query.categories:
            queryset = queryset.filter(category_id__in=[categories[code] for code in query.categories])
        if query.code is not None and query.code.kind is CodeKind.TRACE:
            queryset = queryset.filter(trace_codes__code=query.code.value)
            return queryset.count()
        results = backend.search(text, queryset)
        total = results.count()
        list(results[:20])
        return total

    return run


def index_wagtail(model, backend, size, rng, minutes, log):
    from lookup.models import Certificate

    ids = list(Certificate.objects.values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, min(size, len(ids))))
    index = backend.get_index_for_model(model)
    index.entries.all().delete()
    started = time.monotonic()
    done = 0
    for start in range(0, len(chosen), 5000):
        batch = list(model.objects.select_related("client").filter(pk__in=chosen[start : start + 5000]))
        backend.add_bulk(model, batch)
        done += len(batch)
        log(f"  wagtail-db: {done}/{len(chosen)} indexed ({time.monotonic() - started:.0f} s)")
        if time.monotonic() - started > minutes * 60:
            break
    return chosen[:done], time.monotonic() - started


def index_elasticsearch(engine, size, rng, minutes, log):
    from lookup.engines.base import indexable_certificates
    from lookup.models import Certificate

    ids = list(Certificate.objects.values_list("pk", flat=True))
    chosen = sorted(rng.sample(ids, min(size, len(ids))))
    engine.ensure_index()
    started = time.monotonic()
    done = 0
    for start in range(0, len(chosen), 500):
        engine.index(list(indexable_certificates(Certificate.objects.filter(pk__in=chosen[start : start + 500]))))
        done += min(500, len(chosen) - start)
        if done % 2500 == 0:
            log(f"  elasticsearch: {done}/{len(chosen)} indexed ({time.monotonic() - started:.0f} s)")
        if time.monotonic() - started > minutes * 60:
            break
    engine.client.indices.refresh(index=engine.alias)
    return chosen[:done], time.monotonic() - started


# --- output ---------------------------------------------------------------------------


def table(legs, results):
    """One line per kind: p50/p95/p99 of each leg and the embedded-vs-icontains ratio."""
    head = f"{'query':26}"
    rule = "-" * 26
    for leg in legs:
        head += f" | {leg:>22}"
        rule += "-+-" + "-" * 22
    head += " | embedded vs icontains"
    rule += "-+-" + "-" * 21
    sub = f"{'':26}" + "".join(f" | {'p50':>6} {'p95':>7} {'p99':>7}" for _leg in legs) + " | (p50 ratio)"
    lines = [head, sub, rule]
    for kind in KINDS:
        line = f"{kind:26}"
        for leg in legs:
            times = results.get(leg, {}).get(kind, ([], None))[0]
            if times:
                line += (
                    f" | {percentile(times, 0.5):6.1f} {percentile(times, 0.95):7.1f} {percentile(times, 0.99):7.1f}"
                )
            else:
                line += f" | {'n/a':>22}"
        embedded = results.get("embedded", {}).get(kind, ([], None))[0]
        icontains = results.get("icontains", {}).get(kind, ([], None))[0]
        if embedded and icontains:
            line += f" | {percentile(icontains, 0.5) / max(percentile(embedded, 0.5), 0.001):8.0f}×"
        lines.append(line)
    lines.append("")
    lines.append(f"{'mean matches':26}" + "".join(f" | {leg:>22}" for leg in legs))
    for kind in KINDS:
        line = f"{kind:26}"
        for leg in legs:
            mean = results.get(leg, {}).get(kind, ([], None))[1]
            line += f" | {'' if mean is None else f'{mean:,.0f}':>22}"
        lines.append(line)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100, help="queries per kind for the embedded engine")
    parser.add_argument("--es-samples", type=int, default=40, help="queries per kind for Elasticsearch")
    parser.add_argument("--wagtail-samples", type=int, default=20, help="queries per kind for Wagtail's backend")
    parser.add_argument("--icontains-samples", type=int, default=5, help="queries per kind for icontains")
    parser.add_argument("--es-size", type=int, default=8000, help="certificates indexed in osmem")
    parser.add_argument("--es-minutes", type=float, default=8, help="longest osmem indexing, minutes")
    parser.add_argument("--wagtail-size", type=int, default=20000, help="certificates in Wagtail's index")
    parser.add_argument("--wagtail-minutes", type=float, default=5, help="longest Wagtail indexing, minutes")
    parser.add_argument("--kind-seconds", type=float, default=60, help="longest time per kind and leg")
    parser.add_argument("--legs", default="embedded,elasticsearch,wagtail-db,icontains")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()

    from lookup.engines.embedded import EmbeddedEngine
    from lookup.engines.query import build_query
    from lookup.models import Certificate

    def log(message):
        print(message, file=sys.stderr, flush=True)

    legs = [leg.strip() for leg in args.legs.split(",") if leg.strip()]
    rng = random.Random(args.seed)
    total = Certificate.objects.count()
    results = {}
    notes = []

    everything = Certificate.objects.all()
    drawn = sample_certificates(everything, max(args.samples, args.icontains_samples), rng)
    codes = trace_codes_of(drawn)

    if "embedded" in legs:
        engine = EmbeddedEngine()
        engine.search(build_query("节能"))
        run = engine_runner(engine)
        queries = queries_for(drawn, codes, random.Random(args.seed), args.samples)
        results["embedded"] = {}
        for kind in KINDS:
            log(f"embedded: {kind}")
            results["embedded"][kind] = time_queries(run, queries[kind], args.kind_seconds)
        notes.append(f"embedded: {engine.count():,} certificates indexed, {args.samples} queries per kind")

    if "icontains" in legs:
        run = icontains_runner()
        queries = queries_for(drawn, codes, random.Random(args.seed), args.icontains_samples)
        results["icontains"] = {}
        for kind in KINDS:
            log(f"icontains: {kind}")
            results["icontains"][kind] = time_queries(run, queries[kind], args.kind_seconds)
        notes.append(f"icontains: all {total:,} certificates, {args.icontains_samples} queries per kind")

    if "wagtail-db" in legs:
        from wagtail.search.backends import get_search_backend

        model = wagtail_model()
        backend = get_search_backend("default")
        indexed, seconds = index_wagtail(model, backend, args.wagtail_size, rng, args.wagtail_minutes, log)
        subset = sample_certificates(Certificate.objects.filter(pk__in=indexed), args.wagtail_samples, rng)
        queries = queries_for(subset, trace_codes_of(subset), random.Random(args.seed), args.wagtail_samples)
        queries["filters only"] = []  # not a search: the ORM leg covers it
        run = wagtail_runner(model, backend)
        results["wagtail-db"] = {}
        for kind in KINDS:
            log(f"wagtail-db: {kind}")
            results["wagtail-db"][kind] = time_queries(run, queries[kind], args.kind_seconds)
        notes.append(
            f"wagtail-db: {type(backend).__name__}, SUBSET of {len(indexed):,} certificates "
            f"(indexed in {seconds:.0f} s, {len(indexed) / max(seconds, 0.001):.0f}/s), "
            f"{args.wagtail_samples} queries per kind"
        )

    if "elasticsearch" in legs:
        from osmem_server import OsmemServer

        from lookup.engines.elastic import ElasticsearchEngine

        with OsmemServer.start() as server, server.clone() as clone:
            engine = ElasticsearchEngine(url=clone.url, index_prefix="bench", compatibility_headers=False)
            indexed, seconds = index_elasticsearch(engine, args.es_size, rng, args.es_minutes, log)
            subset = sample_certificates(Certificate.objects.filter(pk__in=indexed), args.es_samples, rng)
            queries = queries_for(subset, trace_codes_of(subset), random.Random(args.seed), args.es_samples)
            run = engine_runner(engine)
            results["elasticsearch"] = {}
            for kind in KINDS:
                log(f"elasticsearch: {kind}")
                results["elasticsearch"][kind] = time_queries(run, queries[kind], args.kind_seconds)
            notes.append(
                f"elasticsearch: osmem-server {server.version}, SUBSET of {len(indexed):,} certificates "
                f"(indexed in {seconds:.0f} s, {len(indexed) / max(seconds, 0.001):.0f}/s), "
                f"{args.es_samples} queries per kind"
            )

    print(
        f"Lookup engines, {total:,} certificates in the database "
        f"({django.conf.settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} ({os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    for note in notes:
        print(f"  {note}")
    print("Milliseconds per query, one at a time.")
    print()
    print(table([leg for leg in legs if leg in results], results))


if __name__ == "__main__":
    main()
