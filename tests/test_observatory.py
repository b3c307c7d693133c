"""Mozilla's HTTP Observatory grades the production configuration A+.

benchmarks/observatory.py serves the demo site through gunicorn (production settings)
and site/nginx.conf with a self-signed certificate on a loopback address of its own,
and runs the pinned scanner against it. Nothing is fetched from the internet but the
scanner's npm package, the first time. About 40 s of CPU: collectstatic, migrate and
the demo pages take most of it.
"""

import importlib.util
import os
import shutil

import pytest

from tests.deploy_support import ROOT

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("node") and shutil.which("npm")), reason="the scanner runs on Node.js 20 with npm"
    ),
    pytest.mark.skipif(os.geteuid() != 0, reason="nginx listens on ports 80 and 443, as the scanner asks"),
]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("observatory", ROOT / "benchmarks" / "observatory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scan():
    return load_benchmark().grade_production_configuration()


def test_production_configuration_gets_a_plus(scan):
    assert (scan["scan"]["grade"], scan["scan"]["error"]) == ("A+", None), load_benchmark().report(scan)
    assert scan["scan"]["score"] >= 100


def test_every_observatory_test_passes(scan):
    failed = {name: test["result"] for name, test in scan["tests"].items() if not test["pass"]}
    assert failed == {}


@pytest.mark.parametrize(
    ("test", "result"),
    [
        ("content-security-policy", "csp-implemented-with-no-unsafe"),
        ("redirection", "redirection-to-https"),
        ("referrer-policy", "referrer-policy-private"),
        ("strict-transport-security", "hsts-implemented-max-age-at-least-six-months"),
        ("x-content-type-options", "x-content-type-options-nosniff"),
        ("x-frame-options", "x-frame-options-implemented-via-csp"),
    ],
)
def test_observatory_finds_each_header_as_configured(scan, test, result):
    assert scan["tests"][test]["result"] == result
