"""Bulk import: throughput and memory for files of different sizes.

For each size, child processes make a fresh throwaway database (SQLite in a temporary
DATA_DIR, or PostgreSQL when DATABASE_URL is set: the database named in it is dropped
and created again), migrates it, writes a synthetic exchange-format CSV of that many
rows (repeatable: seeded random generator, codes from ``lookup.codes``), imports it,
then imports the same file again (the idempotent pass, which changes nothing).

Peak memory is the child's ``ru_maxrss`` after each step: it must not grow with the
file's size. Prints a table; asserts nothing.

    .venv/bin/python benchmarks/import_certificates.py            # 10,000 and 100,000 rows
    .venv/bin/python benchmarks/import_certificates.py 1000 5000  # other sizes
    .venv/bin/python benchmarks/import_certificates.py --no-index  # leave the lookup index out
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python benchmarks/import_certificates.py
"""

import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 100_000)
SEED = 20241129
ORGANISATIONS = 3_000
REASONS = {
    "suspended": "年度监督审核未按期实施",
    "withdrawn": "认证委托人申请注销",
    "revoked": "监督抽查不合格且未在暂停期内整改",
    "expired": "证书到期",
}
BRANDS = ["青禾", "碧水", "华绿", "远景", "清源", "森鸿", "Bergmann", "Nordlys", "晨光", "蓝天"]
CITY_WORDS = ["科技", "家电", "建材", "新能源", "照明", "环保", "电器", "实业", "材料", "装备"]
FOREIGN = [("DE", "Stuttgart"), ("JP", "Osaka"), ("IT", "Milano"), ("KR", "Seoul"), ("US", "Austin")]


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fresh_postgres(url):
    import psycopg

    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def organisations(rng, regions):
    from lookup import codes

    pool = []
    for index in range(ORGANISATIONS):
        if index % 50 == 49:
            country, city = FOREIGN[index % len(FOREIGN)]
            pool.append(
                {
                    "name": f"{city} Green Industries {index} GmbH",
                    "name_en": f"{city} Green Industries {index} GmbH",
                    "address": "",
                    "address_en": f"{rng.randint(1, 200)} Industrial Road, {city}",
                    "uscc": f"{country}-REG-{rng.randint(100000, 999999)}",
                    "region": "",
                    "country": country,
                    "latitude": f"{rng.uniform(30, 55):.5f}",
                    "longitude": f"{rng.uniform(-100, 140):.5f}",
                }
            )
            continue
        region = rng.choice(regions)
        word = rng.choice(CITY_WORDS)
        pool.append(
            {
                "name": f"{region.name_zh}{rng.choice(BRANDS)}{word}股份有限公司{index}",
                "name_en": f"{region.name_en} {word} Co., Ltd. {index}",
                "address": f"{region.name_zh}经济开发区创新路{rng.randint(1, 999)}号",
                "address_en": f"{rng.randint(1, 999)} Chuangxin Road, {region.name_en}",
                "uscc": codes.generate_uscc(rng, region.code),
                "region": region.code,
                "country": "CN",
                "latitude": f"{float(region.latitude) + rng.uniform(-0.2, 0.2):.5f}",
                "longitude": f"{float(region.longitude) + rng.uniform(-0.2, 0.2):.5f}",
            }
        )
    return pool


def write_csv(path, rows):
    """Write ``rows`` synthetic certificates to ``path``, streaming."""
    from lookup import codes
    from lookup.importer.columns import COLUMNS, ORGANISATION_FIELDS
    from lookup.reference_data import read_rows
    from lookup.regions import prefectures

    rng = random.Random(SEED)
    categories = [
        (row["code"], row["name_zh"].strip(), row["name_en"].strip()) for row in read_rows("product-categories.csv")
    ]
    bodies = [row["code"] for row in read_rows("certification-bodies.csv")]
    pool = organisations(rng, prefectures())
    today = datetime.date.today()
    seen = set()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        written = 0
        while written < rows:
            category, name_zh, name_en = rng.choice(categories)
            body = rng.choice(bodies)
            issued_on = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, (today.year - 2019) * 365))
            issued_on = min(issued_on, today)
            number = codes.generate_certificate_number(issued_on.year, body, category, rng=rng)
            if number in seen:
                continue
            seen.add(number)
            expires_on = issued_on + datetime.timedelta(days=3 * 365 - 1)
            status = rng.choices(["valid", "suspended", "withdrawn", "revoked"], weights=[85, 6, 6, 3])[0]
            if expires_on < today and status == "valid":
                status = "expired"
            changed_on = ""
            if status != "valid":
                latest = min(today, expires_on + datetime.timedelta(days=30))
                changed_on = issued_on + datetime.timedelta(days=rng.randint(1, (latest - issued_on).days))
                if status == "expired":
                    changed_on = expires_on + datetime.timedelta(days=1)
                changed_on = min(changed_on, today).isoformat()
            brand = rng.choice(BRANDS)
            client = rng.choice(pool[: ORGANISATIONS - ORGANISATIONS // 50])
            manufacturer = client if rng.random() < 0.8 else rng.choice(pool)
            prefix = "".join(rng.choice("ABCDEFGHKMNPQRSTXYZ") for _letter in range(2))
            models = ";".join(
                f"{prefix}-{rng.randint(100, 999)}{rng.choice('ABCDW')}" for _model in range(rng.randint(1, 3))
            )
            values = {
                "number": number,
                "status": status,
                "status_changed_on": changed_on,
                "status_reason": REASONS.get(status, ""),
                "issued_on": issued_on.isoformat(),
                "expires_on": expires_on.isoformat(),
                "scheme": "green product certification",
                "rules": "CNCA-CGP-01:2019",
                "standards": f"GB/T {rng.randint(35601, 39800)}-20{rng.randint(17, 23)}",
                "mode": "型式试验+初始工厂检查+获证后监督",
                "product_name": f"{brand}{name_zh}",
                "product_name_en": f"{brand} {name_en.lower()}",
                "models": models,
                "brand": brand,
                "category": category,
                "body": body,
                "mark": "中国绿色产品",
                "accreditation_mark": "CNAS" if rng.random() < 0.7 else "",
                "energy_saving_kwh_per_year": str(rng.randint(20, 400)) if category.startswith("01") else "",
            }
            for role, organisation in (("client", client), ("producer", client), ("manufacturer", manufacturer)):
                for field in ORGANISATION_FIELDS:
                    values[f"{role}_{field}"] = organisation[field]
            writer.writerow([values[column] for column in COLUMNS])
            written += 1


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def prepare(rows, path):
    """Child process: a fresh, migrated database and the file to import."""
    setup()
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        fresh_postgres(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    write_csv(path, rows)


def measure(rows, path):
    """Child process: import the file twice; nothing else runs here, so the peak
    memory is the importer's. The lookup index, which a receiver of
    ``certificates_imported`` updates after the commit, is timed on its own."""
    setup()
    from lookup.importer import certificates_imported, import_file
    from lookup.models import Certificate, ImportRun

    Certificate.objects.exists()
    result = {"rows": rows, "bytes": Path(path).stat().st_size, "baseline_mib": peak_mib()}
    receivers = certificates_imported.receivers
    for label in ("first", "again"):
        certificates_imported.receivers = []
        started, cpu_started = time.perf_counter(), cpu_seconds()
        run = import_file(path)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        certificates_imported.receivers = receivers
        if run.outcome != "imported":
            raise SystemExit(f"import rejected: {run.errors[:5]}")
        peak = peak_mib()
        started = time.perf_counter()
        if os.environ.get("BENCH_INDEX") != "off":
            certificates_imported.send(sender=ImportRun, run=run)
        result[label] = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "rows_per_s": rows / seconds,
            "peak_mib": peak,
            "index_seconds": time.perf_counter() - started,
            "index_peak_mib": peak_mib(),
            "created": run.rows_created,
            "updated": run.rows_updated,
            "unchanged": run.rows_unchanged,
        }
    print(json.dumps(result))


def child(step, rows, path, environment):
    output = subprocess.run(
        [sys.executable, __file__, step, str(rows), str(path)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode:
        print(output.stderr, file=sys.stderr)
        raise SystemExit(output.returncode)
    return output.stdout


def main(sizes):
    database = os.environ.get("DATABASE_URL") or "sqlite (temporary file)"
    print(f"database: {database.split('@')[-1]}; python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print()
    header = (
        f"{'rows':>8} {'file MiB':>8} {'pass':>6} {'seconds':>8} {'cpu s':>7} {'rows/s':>8} {'peak MiB':>9} "
        f"{'baseline':>9} {'created':>8} {'updated':>8} {'unchanged':>9} {'index s':>8} {'index MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for rows in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-import-") as data_dir:
            environment = {**os.environ, "DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
            environment.setdefault("DEBUG", "off")
            path = Path(data_dir) / f"certificates-{rows}.csv"
            child("--prepare", rows, path, environment)
            result = json.loads(child("--measure", rows, path, environment).strip().splitlines()[-1])
        for label in ("first", "again"):
            step = result[label]
            print(
                f"{rows:>8} {result['bytes'] / 2**20:>8.1f} {label:>6} "
                f"{step['seconds']:>8.1f} {step['cpu_seconds']:>7.1f} "
                f"{step['rows_per_s']:>8.0f} {step['peak_mib']:>9.0f} {result['baseline_mib']:>9.0f} "
                f"{step['created']:>8} {step['updated']:>8} {step['unchanged']:>9} "
                f"{step['index_seconds']:>8.1f} {step['index_peak_mib']:>9.0f}"
            )
    print()
    print("seconds: wall clock; cpu s: the importing process's own CPU time (the database server's not included).")
    print("peak MiB: ru_maxrss of the importing process after the pass; baseline: the same process before importing.")
    print("index s, index MiB: updating the lookup index afterwards (the certificates_imported receivers), and the")
    print("process's peak memory after it; not part of the import's own figures.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        prepare(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "--measure":
        measure(int(sys.argv[2]), sys.argv[3])
    else:
        if "--no-index" in sys.argv:
            os.environ["BENCH_INDEX"] = "off"
        main([int(argument) for argument in sys.argv[1:] if argument.isdigit()] or DEFAULT_SIZES)
