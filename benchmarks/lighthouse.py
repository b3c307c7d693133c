"""Lighthouse mobile scores of the pages people land on, in both languages.

Builds the demo site in a throwaway DATA_DIR, serves it as production does minus the
proxy (gunicorn, ``config.settings.production``, DEBUG off, whitenoise's compressed and
hashed static files, media as nginx serves them: benchmarks/lighthouse/wsgi.py) on
loopback, and runs Lighthouse 12 (pinned in benchmarks/lighthouse/package.json,
installed with ``npm ci`` on first use) in Debian's Chromium for the home page, lookup
results, a certificate page and a QR trace landing page, each in Chinese and English.
Prints the four category scores, the bytes transferred and the largest contentful
paint per page (of the run with the median performance score, with ``--runs``), then
the audits that cost that run points; asserts nothing. The JSON reports go to
test-artifacts/lighthouse/.

    .venv/bin/python benchmarks/lighthouse.py [--runs 3] [--page home] [--keep-data]

Needs Node.js 20 with npm and /usr/bin/chromium (or CHROME_PATH).
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = BASE_DIR / "test-artifacts" / "lighthouse"
VENV_BIN = Path(sys.executable).parent
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
SAMPLE_CERTIFICATE = "G2024001011318204"
LANGUAGES = {"zh-hans": ("zh-CN,zh;q=0.9", "冰箱"), "en": ("en-US,en;q=0.9", "refrigerator")}
PAGES = ["home", "lookup", "certificate", "trace"]


def install_lighthouse():
    wanted = json.loads((LIGHTHOUSE_DIR / "package.json").read_text())["dependencies"]["lighthouse"]
    manifest = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    if manifest.exists() and json.loads(manifest.read_text())["version"] == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing: Lighthouse runs on Node.js 20 with npm.")
    print(f"Installing Lighthouse {wanted} ...", flush=True)
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=LIGHTHOUSE_DIR, check=True
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(data_dir, port):
    """A production configuration on loopback: plain HTTP, no proxy, SQLite in ``data_dir``."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DEBUG"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATA_DIR=str(data_dir),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        LOG_LEVEL="WARNING",
    )
    return environment


def manage(environment, *arguments, capture=False):
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [str(VENV_BIN / "python"), "manage.py", *arguments],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def build_site(environment):
    print("Building the demo site (migrate, collectstatic, demo content) ...", flush=True)
    manage(environment, "compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v", "0")
    manage(environment, "migrate", "--no-input", "-v", "0")
    manage(environment, "collectstatic", "--no-input", "-v", "0")
    manage(environment, "load_demo_content", capture=True)
    found = manage(
        environment,
        "shell",
        "-v",
        "0",
        "-c",
        "import datetime; from lookup.models import TraceCode, Status;"
        "print(TraceCode.objects.filter(certificate__status=Status.VALID,"
        " certificate__expires_on__gte=datetime.date.today()).order_by('code').first().code)",
        capture=True,
    )
    return found.split()[-1]


def serve(environment, port, log):
    """gunicorn on loopback, with media served as nginx would (lighthouse/wsgi.py); its
    access log is dropped, its error log goes to ``log``."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "site/gunicorn.conf.py",
            "--pythonpath",
            str(LIGHTHOUSE_DIR),
            "wsgi:application",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped: see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2):  # noqa: S310 - loopback
                return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 seconds.")


def page_urls(base, trace_code):
    for language, (_accept, word) in LANGUAGES.items():
        yield "home", language, f"{base}/{language}/"
        yield "lookup", language, f"{base}/{language}/lookup/?q={urllib.parse.quote(word)}"
        yield "certificate", language, f"{base}/{language}/lookup/certificates/{SAMPLE_CERTIFICATE}/"
        yield "trace", language, f"{base}/t/{trace_code}"


def run_lighthouse(url, language, report_path):
    """One mobile Lighthouse run (its default form factor and throttling); the report as a dict."""
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    report_path.unlink(missing_ok=True)
    finished = subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--extra-headers={json.dumps({'Accept-Language': LANGUAGES[language][0]})}",
            "--output=json",
            f"--output-path={report_path}",
        ],
        env=environment,
        check=False,
    )
    if finished.returncode != 0 or not report_path.exists():
        return None
    return json.loads(report_path.read_text())


def median_run(reports):
    """The run with the median performance score: one slow run on a busy machine does
    not decide the table (Lighthouse's own advice for variable scores)."""
    ranked = sorted(reports, key=lambda report: report["categories"]["performance"]["score"] or 0)
    return ranked[len(ranked) // 2]


def summary(report):
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    audits = report["audits"]
    return {
        **scores,
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
    }


def lost_points(report):
    """Audits that count towards a category and did not pass, with their weight."""
    found = []
    for name in CATEGORIES:
        for reference in report["categories"][name]["auditRefs"]:
            audit = report["audits"][reference["id"]]
            if reference["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{name}: {audit['id']} ({audit['score']:.2f}) {audit.get('displayValue', '')}".strip())
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", choices=PAGES, action="append", help="only these pages (repeatable)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is shown")
    parser.add_argument("--keep-data", action="store_true", help="leave the throwaway DATA_DIR in place")
    args = parser.parse_args()

    install_lighthouse()
    REPORTS.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="greencert-lighthouse-"))
    port = free_port()
    environment = production_environment(data_dir, port)
    server = None
    try:
        trace_code = build_site(environment)
        log_path = REPORTS / "gunicorn.log"
        with log_path.open("w") as log:
            server = serve(environment, port, log)
        rows, problems = [], []
        for page, language, url in page_urls(f"http://127.0.0.1:{port}", trace_code):
            if args.page and page not in args.page:
                continue
            print(f"Lighthouse: {page} ({language}) {url}", flush=True)
            reports = [
                run_lighthouse(url, language, REPORTS / f"{page}-{language}-{run}.json") for run in range(args.runs)
            ]
            reports = [report for report in reports if report is not None]
            if not reports:
                problems.append(f"{page} ({language}) Lighthouse failed: see its output above and {log_path}")
                continue
            report = median_run(reports)
            rows.append((page, language, summary(report)))
            problems.extend(f"{page} ({language}) {line}" for line in lost_points(report))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep_data:
            print(f"DATA_DIR kept at {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    print()
    print("| page | language | performance | accessibility | best practices | SEO | transferred | LCP |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for page, language, scores in rows:
        print(
            f"| {page} | {language} | {scores['performance']} | {scores['accessibility']} | "
            f"{scores['best-practices']} | {scores['seo']} | {scores['kb']:.1f} KB | {scores['lcp']:.1f} s |"
        )
    if problems:
        print("\nAudits that cost points:")
        for line in problems:
            print(f"- {line}")


if __name__ == "__main__":
    main()
