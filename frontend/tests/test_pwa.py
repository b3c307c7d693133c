import json
import re
from pathlib import Path

import pytest

from django.contrib.staticfiles import finders

from frontend.pwa import SHELL_STATIC

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def manifest(client, language):
    response = client.get(f"/{language}/manifest.json")
    assert response.status_code == 200
    return json.loads(response.content)


def service_worker_config(client):
    response = client.get("/serviceworker.js")
    assert response.status_code == 200
    first_line = response.content.decode().split("\n", 1)[0]
    return json.loads(re.fullmatch(r"const CONFIG = (.*);", first_line).group(1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_manifest_starts_at_the_lookup_of_its_language(client, language):
    data = manifest(client, language)
    assert data["start_url"] == f"/{language}/lookup/"
    assert data["id"] == data["start_url"]
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0b6b3a"


def test_manifest_names_the_app_in_the_language_of_its_address(client):
    english, chinese = manifest(client, "en"), manifest(client, "zh-hans")
    assert english["lang"] == "en"
    assert chinese["lang"] == "zh-Hans"
    assert english["name"] == "Green Product Certificate Lookup"
    assert english["short_name"] == "Green Cert"
    for key in ("name", "short_name", "description"):
        assert chinese[key] != english[key]
        assert re.search(r"[\u4e00-\u9fff]", chinese[key]), key


def test_manifest_icons_exist_in_both_purposes_and_both_sizes(client):
    icons = manifest(client, "en")["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        path = icon["src"].removeprefix("/static/")
        assert finders.find(path), icon["src"]


def test_manifest_answers_only_reads(client):
    assert client.post("/en/manifest.json").status_code == 405


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_the_manifest_of_its_language(client, language):
    response = client.get(f"/{language}/offline/")
    assert f'<link rel="manifest" href="/{language}/manifest.json">' in response.content.decode()


def test_offline_page_is_translated(client):
    english = client.get("/en/offline/").content.decode()
    chinese = client.get("/zh-hans/offline/").content.decode()
    assert "You are offline" in english
    assert "You are offline" not in chinese
    assert 'lang="zh-Hans"' in chinese
    assert "data-saved-pages" in chinese


def test_service_worker_is_served_from_the_root_as_script_never_cached_stale(client):
    response = client.get("/serviceworker.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert 'addEventListener("fetch"' in response.content.decode()


def test_service_worker_keeps_the_shell_and_both_offline_pages(client):
    config = service_worker_config(client)
    assert config["offline"] == {"zh-hans": "/zh-hans/offline/", "en": "/en/offline/"}
    for path in SHELL_STATIC:
        assert f"/static/{path}" in config["shell"]
    assert set(config["offline"].values()) <= set(config["shell"])


def test_service_worker_version_changes_when_a_shell_file_changes(client, tmp_path, settings):
    before = service_worker_config(client)["version"]
    assert service_worker_config(client)["version"] == before
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "site.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [str(tmp_path), *settings.STATICFILES_DIRS]
    finders.get_finder.cache_clear()
    try:
        assert service_worker_config(client)["version"] != before
    finally:
        finders.get_finder.cache_clear()


def test_service_worker_version_changes_when_the_translations_change(client, tmp_path, settings):
    before = service_worker_config(client)["version"]
    for folder in settings.LOCALE_PATHS:
        for catalogue in Path(folder).glob("*/LC_MESSAGES/django.mo"):
            copy = tmp_path / catalogue.relative_to(folder)
            copy.parent.mkdir(parents=True, exist_ok=True)
            # Bytes after the last string: a different file that still reads the same.
            copy.write_bytes(catalogue.read_bytes() + b"\0")
    assert list(tmp_path.rglob("django.mo"))
    settings.LOCALE_PATHS = [tmp_path]
    assert service_worker_config(client)["version"] != before
