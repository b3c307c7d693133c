"""Lookup engines: latency of code lookups and text searches, against an ORM query.

Runs on the database and lookup engine the settings choose (fill them first:
``generate_certificates --count 1000000`` then ``rebuild_lookup_index``). Draws
``--samples`` certificates at random and times, per kind of query, the engine's
``search`` (page of 20 with facets and highlight): certificate number, USCC, a
two-character Chinese word, a full product name, brand + product, part of a company
name, a model number typed without hyphen, an English word, filters alone; then an
ORM ``icontains`` search over the same names for comparison. Prints p50/p95/max in
milliseconds and the mean number of hits; asserts nothing.

    DATA_DIR=/path/to/data .venv/bin/python benchmarks/lookup_engines.py --samples 200
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="certificates drawn (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()

    from django.db.models import Q

    from lookup.engines.base import get_engine
    from lookup.engines.query import build_query
    from lookup.models import Certificate

    engine = get_engine()
    rng = random.Random(args.seed)
    total = Certificate.objects.count()
    ids = list(Certificate.objects.values_list("pk", flat=True))
    sample = list(
        Certificate.objects.select_related("client").filter(pk__in=rng.sample(ids, min(args.samples, len(ids))))
    )
    engine.search(build_query("预热"))

    kinds = {
        "certificate number": [(c.number, {}) for c in sample],
        "USCC": [(c.client.uscc, {}) for c in sample if c.client.uscc],
        "Chinese 2-character word": [(c.product_name[-2:], {}) for c in sample],
        "full product name": [(c.product_name, {}) for c in sample],
        "brand + product": [(f"{c.brand} {c.product_name[-2:]}", {}) for c in sample if c.brand],
        "part of company name": [(c.client.name_zh[2:6], {}) for c in sample],
        "model, no hyphen": [(c.product_models[0].replace("-", "").lower(), {}) for c in sample if c.product_models],
        "English word": [(c.product_name_en.split()[-1], {}) for c in sample if c.product_name_en],
        "filters only": [
            ("", {"status": "valid", "category": c.category_id and c.category.code}) for c in sample[:50]
        ],
    }
    print(f"{engine.name} engine, {total} certificates, {engine.count()} indexed")
    print(f"{'query':28} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'hits':>9}")
    for label, queries in kinds.items():
        times, hits = [], []
        for text, filters in queries:
            started = time.perf_counter()
            results = engine.search(build_query(text, **filters))
            times.append((time.perf_counter() - started) * 1000)
            hits.append(results.total)
        if times:
            print(
                f"{label:28} {len(times):5} {statistics.median(times):9.2f} {percentile(times, 0.95):9.2f} "
                f"{max(times):9.2f} {statistics.mean(hits):9.0f}"
            )
    times = []
    for c in sample[:20]:
        word = c.product_name[-2:]
        started = time.perf_counter()
        matches = Certificate.objects.filter(
            Q(product_name__icontains=word) | Q(brand__icontains=word) | Q(client__name_zh__icontains=word)
        )
        matches.count()
        list(matches.order_by("-issued_on")[:20])
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{'ORM icontains (2 chars)':28} {len(times):5} {statistics.median(times):9.2f} {percentile(times, 0.95):9.2f}"
    )


if __name__ == "__main__":
    main()
