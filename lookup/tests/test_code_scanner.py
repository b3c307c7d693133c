"""The scanner partial of the "I have a code" form; its behaviour in a browser is in
tests/browser/test_scanner.py."""

import mimetypes
import re

import pytest

from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def code_page(client):
    response = client.get("/en/lookup/code/")
    assert response.status_code == 200
    return response.content.decode()


def test_scanner_sits_inside_the_code_form_hidden_until_its_script_turns_it_on(code_page):
    form = re.search(r'<form class="lookup-form".*?</form>', code_page, flags=re.DOTALL).group(0)
    assert 'name="code"' in form
    assert re.search(r"<button [^>]*data-scanner-start hidden>Scan with camera</button>", form)
    assert re.search(r"<div [^>]*data-scanner-panel hidden>", form)


def test_decoder_is_named_but_not_loaded_by_the_page(code_page):
    scripts = re.findall(r'<script src="([^"]+)"', code_page)
    assert "/static/lookup/scanner.js" in scripts
    assert not [src for src in scripts if "/vendor/" in src]
    assert 'data-decoder="/static/vendor/barcode-detector/ponyfill.js"' in code_page
    assert 'data-wasm="/static/vendor/zxing-wasm/zxing_reader.wasm"' in code_page


@pytest.mark.parametrize("path", ["vendor/barcode-detector/ponyfill.js", "vendor/zxing-wasm/zxing_reader.wasm"])
def test_decoder_files_come_from_the_npm_packages(path):
    found = finders.find(path)
    assert found, f"{path} is missing: run `npm ci --omit=dev --ignore-scripts` in frontend/ (./dev.sh does)"
    assert "/frontend/node_modules/" in found


def test_decoder_webassembly_is_served_as_webassembly():
    assert mimetypes.guess_type("zxing_reader.wasm")[0] == "application/wasm"


def test_scanner_is_only_on_the_code_page(client):
    assert "data-code-scanner" not in client.get("/en/lookup/").content.decode()
