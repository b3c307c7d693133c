"""Load test: the trace page, the certificate page and text search under gunicorn, against a bare view.

Builds (or reuses) a PostgreSQL database of ``--certificates`` synthetic certificates
with one trace code each, the demo pages, the lookup index (embedded engine) and the
static files, all in its own database and ``--data-dir`` outside the repository; then
starts gunicorn with ``site/gunicorn.conf.py`` and ``config.settings.benchmark``
(production settings, Redis cache, 2 workers, loopback only) and runs ``wrk`` for
``--duration`` seconds per address, each after a short warm-up:

- ``bare, no middleware``: ``/bench/bare/``, 8 KB without the database, with no
  middleware at all (``BENCHMARK_BARE_DJANGO``), from a gunicorn of its own started
  the same way: Django and gunicorn alone, the floor the issue means;
- ``bare``: the same view through the site's whole middleware (security headers, CSP
  nonce, language, rate limit): what the site's stack costs before any page;
- ``trace-hot``: ``/t/<code>`` over ``--hot-codes`` codes, so most pages come from the
  cache, as when many shoppers check the same products;
- ``trace-cold``: ``/t/<code>`` over ``--cold-codes`` codes, so most are rendered;
- ``certificate``: ``/zh-hans/lookup/certificates/<number>/``;
- ``search``: ``/zh-hans/lookup/?q=<product word>``.

It prints requests per second, p50/p95/p99 and the ratio to each floor (``--only``
picks addresses; both floors always run). Those runs saturate the server, so their
latencies mostly measure the queue in front of the two workers (with 16 connections
a request waits for about 8 others). The trace page is then measured again at a
steady offered load of ``--paced-share`` of the faster floor's rate (25 %: the
issue's goal): requests start at the moments of a Poisson stream of that
rate whatever the answers' speed (an open loop: ``benchmarks/paced/paced.c``,
compiled on first use), each on a connection of its own and timed from the moment it
was due to the last byte: the latency a shopper sees while the site serves that many
requests a second. (wrk cannot pace this server fairly: its pause falls between
connecting and sending, and a sync worker that accepted the idle connection waits
out the pause. A client in Python took a core of its own at these rates.)

While the hot trace run goes on it revokes one certificate through ``change_status``
(as the admin and the API do) and another with a bulk ``update()`` (no signals), and
measures how long each takes until its trace page reads revoked: at once after the
commit in the first case, within the page cache's minute in the second. Both are put
back after.

Only loopback traffic; every run is bounded by ``--duration``. The machine's cores
are shared by gunicorn, PostgreSQL, Redis and wrk itself, so compare the ratios.

    .venv/bin/python benchmarks/load_test.py                      # 1,000,000 certificates
    .venv/bin/python benchmarks/load_test.py --duration 20 --connections 16
"""

import argparse
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WRK_SCRIPT = BASE_DIR / "benchmarks" / "wrk" / "paths.lua"
LANGUAGE = "zh-CN,zh;q=0.9"
STALENESS_POLL_SECONDS = 0.02
STALENESS_LIMIT_SECONDS = 90
ADDRESSES = ["trace-hot", "trace-cold", "certificate", "search"]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/load1m")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--data-dir", type=Path, default=BASE_DIR.parent / "load-data")
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20, help="seconds of measurement per address")
    parser.add_argument("--warm-up", type=int, default=5, help="seconds of load before each measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--hot-codes", type=int, default=200)
    parser.add_argument("--cold-codes", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=2_000, help="certificates and search words drawn")
    parser.add_argument(
        "--paced-share", type=float, default=0.25, help="offered load of the paced trace run, as a share of bare"
    )
    parser.add_argument(
        "--only", nargs="+", choices=ADDRESSES, default=ADDRESSES, help="addresses to measure (bare always runs)"
    )
    return parser.parse_args()


def environment(args):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.benchmark",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "ELASTICSEARCH_URL": "",
        "DATA_DIR": str(args.data_dir),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_ACCESS_LOG": "",
        # Production recycles a worker after about 2,000 requests, against slow leaks over
        # days; at these rates that would be a restart every second or two, measuring
        # the restarts instead of the pages.
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
        # All the load comes from one address: the per-address limits still count every
        # request (their cost is part of the figures) but never turn one away.
        "RATELIMIT_LOOKUP": "1000000000/60",
        "RATELIMIT_TRACE": "1000000000/60",
    }


def manage(env, *arguments):
    print("$ manage.py", " ".join(arguments), flush=True)
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE_DIR, env=env, check=True)


def create_database(database_url):
    import psycopg

    url = urllib.parse.urlsplit(database_url)
    name = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", flush=True)


def prepare(args, env):
    """Everything the site needs, made once and reused by later runs."""
    args.data_dir.mkdir(parents=True, exist_ok=True)
    create_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    import django

    os.environ.update(env)
    django.setup()
    from cms.models import HomePage
    from lookup.engines.embedded import INDEX_NAME
    from lookup.models import Certificate

    have = Certificate.objects.count()
    rebuild = not (args.data_dir / INDEX_NAME).exists()
    if have < args.certificates:
        missing = str(args.certificates - have)
        manage(env, "generate_certificates", "--count", missing, "--trace-codes", "1", "--seed", str(have))
        rebuild = True
    if not HomePage.objects.exists():
        manage(env, "load_demo_content", "--no-certificates")
    if rebuild:
        manage(env, "rebuild_lookup_index")
    if not (args.data_dir / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0")


def write_paths(folder, name, paths):
    file = folder / f"{name}.txt"
    file.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    return file


def draw_samples(args):
    """Files of request paths, drawn at random from the database."""
    from lookup.models import Certificate, TraceCode

    folder = args.data_dir / "load-paths"
    folder.mkdir(exist_ok=True)
    codes = list(TraceCode.objects.order_by("?").values_list("code", flat=True)[: args.cold_codes])
    certificates = list(Certificate.objects.order_by("?").values_list("number", "product_name")[: args.samples])
    rng = random.Random(8)
    words = set()
    for _number, product_name in certificates:
        words.add(product_name)
        start = rng.randrange(max(1, len(product_name) - 1))
        words.add(product_name[start : start + 2])
    return {
        "bare": write_paths(folder, "bare", ["/bench/bare/"]),
        "trace-hot": write_paths(folder, "trace-hot", [f"/t/{code}" for code in codes[: args.hot_codes]]),
        "trace-cold": write_paths(folder, "trace-cold", [f"/t/{code}" for code in codes]),
        "certificate": write_paths(
            folder, "certificate", [f"/zh-hans/lookup/certificates/{number}/" for number, _name in certificates]
        ),
        "search": write_paths(
            folder, "search", [f"/zh-hans/lookup/?q={urllib.parse.quote(word)}" for word in sorted(words)]
        ),
    }, codes[: args.hot_codes]


class Server:
    """gunicorn as production runs it, on a loopback port."""

    def __init__(self, args, env, log_name="gunicorn.log"):
        self.base = f"http://127.0.0.1:{args.port}"
        self.log = (args.data_dir / log_name).open("w")
        command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "site/gunicorn.conf.py", "config.wsgi"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/bench/bare/", timeout=2) as response:  # noqa: S310 (loopback http)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer in time")

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": LANGUAGE})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback http)
            return response.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def wrk(base, paths_file, args, seconds):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base,
        "--",
        str(paths_file),
        LANGUAGE,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1_000_000)
    return result


PACED_SOURCE = BASE_DIR / "benchmarks" / "paced" / "paced.c"


def paced_client(data_dir):
    """The paced client (``benchmarks/paced/paced.c``), compiled when its source is newer."""
    binary = data_dir / "paced"
    if not binary.exists() or binary.stat().st_mtime < PACED_SOURCE.stat().st_mtime:
        compiler = shutil.which("cc") or shutil.which("gcc")
        if compiler is None:
            raise SystemExit("The paced run needs a C compiler (Debian package gcc).")
        subprocess.run([compiler, "-O2", "-o", str(binary), str(PACED_SOURCE), "-lm"], check=True)
    return binary


def paced(client, base, paths_file, rate, seconds, seed=0):
    """Open-loop load at ``rate`` requests a second for ``seconds``: the figures
    :func:`wrk` gives, from the paced client."""
    address = urllib.parse.urlsplit(base)
    command = [str(client), address.hostname, str(address.port), f"{rate:.3f}", str(seconds)]
    output = subprocess.run(
        [*command, str(paths_file), LANGUAGE, str(seed)], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output)
    if not result["requests"]:
        raise SystemExit(f"The paced run had no answer from {base}: {result}")
    result["rps"] = result["requests"] / result["seconds"]
    return result


class StalenessCheck(threading.Thread):
    """Revoke two certificates while load runs and time until their trace pages say so."""

    def __init__(self, server, codes, delay):
        super().__init__(daemon=True)
        self.server = server
        self.codes = codes
        self.delay = delay
        self.results = {}

    def run(self):
        from django.db import connection

        try:
            time.sleep(self.delay)
            first, second = self.valid_codes(2)
            self.results["change_status (signals, on commit)"] = self.measure(first, through_model=True)
            self.results["bulk update() (no signals)"] = self.measure(second, through_model=False)
        except Exception as error:  # noqa: BLE001 (reported with the results, not lost in a thread)
            self.results["failed"] = repr(error)
        finally:
            connection.close()

    def valid_codes(self, count):
        from lookup.models import Status, TraceCode

        traces = TraceCode.objects.select_related("certificate").filter(code__in=self.codes[:200])
        return [trace.code for trace in traces if trace.certificate.effective_status() == Status.VALID][:count]

    def measure(self, code, *, through_model):
        from django.utils import translation

        from lookup.models import Certificate, Status, StatusChange, TraceCode
        from lookup.status import change_status

        with translation.override("zh-hans"):
            revoked = str(Status.REVOKED.label)
        certificate = TraceCode.objects.select_related("certificate").get(code=code).certificate
        before = Certificate.objects.filter(pk=certificate.pk).values("status", "status_changed_on", "status_reason")[
            0
        ]
        self.server.get(f"/t/{code}")  # the page is in the cache
        started = time.monotonic()
        if through_model:
            change = change_status(certificate, Status.REVOKED, reason="load test")
        else:
            Certificate.objects.filter(pk=certificate.pk).update(status=Status.REVOKED, status_reason="load test")
            change = None
        try:
            while time.monotonic() - started < STALENESS_LIMIT_SECONDS:
                if revoked in self.server.get(f"/t/{code}"):
                    return f"{time.monotonic() - started:.2f} s"
                time.sleep(STALENESS_POLL_SECONDS)
            return f"not revoked after {STALENESS_LIMIT_SECONDS} s"
        finally:
            Certificate.objects.filter(pk=certificate.pk).update(**before)
            if change is not None:
                StatusChange.objects.filter(pk=change.pk).delete()


BARE_DJANGO = "bare, no middleware"


def print_table(results):
    floors = [results[BARE_DJANGO]["rps"], results["bare"]["rps"]]
    heading = ["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "non-2xx", "× no mw", "× bare"]
    print()
    print(f"{'address':<20} " + " ".join(f"{word:>9}" for word in heading))
    for name, result in results.items():
        print(
            f"{name:<20} {result['requests']:>9} {result['rps']:>9.0f} {result['p50_us'] / 1000:>9.2f} "
            f"{result['p95_us'] / 1000:>9.2f} {result['p99_us'] / 1000:>9.2f} {result['non_2xx']:>9} "
            + " ".join(f"{result['rps'] / floor:>9.1%}" for floor in floors)
        )


def measure_bare_django(args, env, paths_file):
    """The bare view with no middleware, from its own gunicorn on the same port."""
    server = Server(args, {**env, "BENCHMARK_BARE_DJANGO": "1"}, log_name="gunicorn-bare.log")
    try:
        server.wait()
        wrk(server.base, paths_file, args, args.warm_up)
        print(f"measuring {BARE_DJANGO} for {args.duration} s", flush=True)
        return wrk(server.base, paths_file, args, args.duration)
    finally:
        server.stop()


def main():
    args = parse_arguments()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk).")
    env = environment(args)
    prepare(args, env)
    files, hot_codes = draw_samples(args)
    from django.db import connection

    connection.close()
    results = {BARE_DJANGO: measure_bare_django(args, env, files["bare"])}
    server = Server(args, env)
    staleness = None
    try:
        server.wait()
        wanted = {"bare", *args.only}
        for name, paths_file in files.items():
            if name not in wanted:
                continue
            wrk(server.base, paths_file, args, args.warm_up)
            if name == "trace-hot":
                staleness = StalenessCheck(server, hot_codes, delay=min(5, args.duration / 4))
                staleness.start()
            print(f"measuring {name} for {args.duration} s", flush=True)
            results[name] = wrk(server.base, paths_file, args, args.duration)
        if "trace-hot" in wanted and args.paced_share:
            paced_name = f"trace-hot @{args.paced_share:.0%}"
            offered = max(results["bare"]["rps"], results[BARE_DJANGO]["rps"]) * args.paced_share
            print(f"measuring {paced_name} ({offered:.0f} requests/s offered) for {args.duration} s", flush=True)
            client = paced_client(args.data_dir)
            paced(client, server.base, files["trace-hot"], offered, args.warm_up)
            results[paced_name] = paced(client, server.base, files["trace-hot"], offered, args.duration, seed=1)
        if staleness is not None:
            staleness.join(STALENESS_LIMIT_SECONDS * 2 + 10)
    finally:
        server.stop()
    print_table(results)
    print(
        f"\n{args.workers} gunicorn workers, wrk {args.threads} threads × {args.connections} connections, "
        f"{args.duration} s per address after {args.warm_up} s of warm-up."
    )
    if args.paced_share and "trace-hot" in args.only:
        print(
            f"The paced run: requests started at {args.paced_share:.0%} of the faster floor's rate "
            "(the bare view with no middleware), open loop."
        )
    if staleness is not None:
        print("\nUntil a revoked certificate's trace page reads revoked, under load:")
        for how, took in staleness.results.items():
            print(f"  {how}: {took}")


if __name__ == "__main__":
    main()
