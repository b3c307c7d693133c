"""Synthetic data: how fast ``generate_certificates`` fills a fresh database.

Makes a throwaway database (SQLite in a temporary DATA_DIR, or PostgreSQL when
DATABASE_URL is set: the database named in it is dropped and created again),
migrates it, then generates ``--count`` certificates with ``--trace-codes`` each and
prints certificates/s, trace codes/s, the process's CPU time (wall time suffers when
other work shares the machine) and the peak memory of the process
(``ru_maxrss``) after migrating and after generating. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/generate_certificates.py                     # 10,000 x 10
    .venv/bin/python benchmarks/generate_certificates.py --count 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_generate .venv/bin/python benchmarks/generate_certificates.py
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh_postgres(url):
    import psycopg

    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="certificates (default 10,000)")
    parser.add_argument("--trace-codes", type=int, default=10, help="trace codes per certificate (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    data_dir = tempfile.TemporaryDirectory(prefix="greencert-bench-generate-")
    os.environ["DATA_DIR"] = data_dir.name
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.setdefault("DEBUG", "false")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lookup.synthetic import BATCH_SIZE, generate_certificates

    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        fresh_postgres(database_url)
    call_command("migrate", verbosity=0)
    migrated_mib = peak_mib()

    started = time.perf_counter()
    cpu_started = time.process_time()
    last = [started]

    def progress(done, total):
        now = time.perf_counter()
        if now - last[0] >= 10 or done == total:
            last[0] = now
            print(f"  {done:>10,} / {total:,} certificates, {done / (now - started):,.0f}/s", flush=True)

    result = generate_certificates(
        args.count,
        trace_codes=args.trace_codes,
        seed=args.seed,
        batch_size=args.batch_size or BATCH_SIZE,
        progress=progress,
    )
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started

    print()
    print(f"database            {connection.vendor} ({'DATABASE_URL' if database_url else 'temporary DATA_DIR'})")
    print(f"certificates        {result.certificates:>12,}")
    print(f"trace codes         {result.trace_codes:>12,}")
    print(f"status changes      {result.status_changes:>12,}")
    print(f"organisations       {result.organisations:>12,}")
    print(f"seconds             {seconds:>12,.1f}")
    print(f"CPU seconds         {cpu_seconds:>12,.1f}  (this process; the database server's not counted)")
    print(f"certificates/s      {result.certificates / seconds:>12,.0f}")
    print(f"trace codes/s       {result.trace_codes / seconds:>12,.0f}")
    print(f"peak MiB, migrated  {migrated_mib:>12,.0f}")
    print(f"peak MiB, generated {peak_mib():>12,.0f}")
    connection.close()
    data_dir.cleanup()


if __name__ == "__main__":
    main()
