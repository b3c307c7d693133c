"""Mozilla's HTTP Observatory grade of the production configuration, on this machine.

Serves the demo site as production does (tests.deploy_support.production_site:
gunicorn with ``config.settings.production`` behind site/nginx.conf, TLS with a
self-signed certificate) on a random loopback address, ports 80 and 443, and runs the
Observatory's scanner (pinned in benchmarks/observatory/package.json, installed with
``npm ci --ignore-scripts`` on first use) against it. Prints the grade, the score and
every test's result; asserts nothing (tests/test_observatory.py does).

    .venv/bin/python benchmarks/observatory.py [--json]

The scanner only takes a host name, never a port or a path: it asks for
http://<host>/ and https://<host>/ and follows the redirects (/ goes to /zh-hans/).
Hence a loopback address of its own with the standard ports, which needs root, as
nginx's ``user`` directive does anyway. The scanner trusts the certificate through
NODE_EXTRA_CA_CERTS, so it grades the certificate as valid, as a real one would be.
Its install step would download the HSTS preload list and the list of top-level
domains; the scan needs neither, so scripts are not run and an empty preload list is
written: the site is never credited for being preloaded.

Needs Node.js 20 with npm, openssl and nginx (or apt-get to unpack Debian's).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deploy_support import production_site, random_loopback_address  # noqa: E402

SCANNER_DIR = ROOT / "benchmarks" / "observatory"
PACKAGE = SCANNER_DIR / "node_modules" / "@mdn" / "mdn-http-observatory"


def scanner_installed():
    wanted = json.loads((SCANNER_DIR / "package.json").read_text())["dependencies"]["@mdn/mdn-http-observatory"]
    manifest = PACKAGE / "package.json"
    return manifest.exists() and json.loads(manifest.read_text())["version"] == wanted


def install_scanner():
    """The pinned scanner, without its install scripts, with an empty preload list."""
    if not scanner_installed():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: the Observatory scanner runs on Node.js 20 with npm.")
        subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SCANNER_DIR,
            check=True,
            timeout=600,
        )
    (PACKAGE / "conf" / "hsts-preload.json").write_text("{}")


def scan(host, certificate):
    """The scanner's JSON answer for ``host``."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is missing: the Observatory scanner runs on Node.js 20.")
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": str(certificate)}
    result = subprocess.run(
        [node, str(PACKAGE / "src" / "scan.js"), host], capture_output=True, text=True, env=env, timeout=120
    )
    try:
        answer = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the scanner did not answer JSON:\n{result.stdout}\n{result.stderr}") from error
    if "error" in answer:
        raise RuntimeError(f"the scan failed: {answer['error']}")
    return answer


def grade_production_configuration(log=sys.stderr):
    install_scanner()
    address = random_loopback_address()
    with production_site(address, log=log) as certificate:
        print(f"scanning https://{address}/", file=log, flush=True)
        return scan(address, certificate)


def report(answer):
    lines = [f"grade {answer['scan']['grade']}, score {answer['scan']['score']}"]
    lines.append(f"tests passed {answer['scan']['testsPassed']} of {answer['scan']['testsQuantity']}")
    for name, test in sorted(answer["tests"].items()):
        verdict = "pass" if test["pass"] else "FAIL"
        lines.append(f"{verdict:4}  {test['scoreModifier']:+4d}  {name}: {test['result']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the scanner's whole JSON answer")
    arguments = parser.parse_args()
    answer = grade_production_configuration()
    print(json.dumps(answer, indent=2) if arguments.json else report(answer))


if __name__ == "__main__":
    main()
