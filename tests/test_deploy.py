"""The production deployment in site/, run for real on this machine.

Production settings go through ``check --deploy``; gunicorn starts with
site/gunicorn.conf.py against config.settings.production; nginx runs site/nginx.conf in
front of it on loopback ports, with a self-signed certificate.
"""

import http.client
import os
import re
import runpy
import ssl
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from django.conf import settings
from django.urls import reverse

from lookup.views.imports import MAX_UPLOAD_BYTES
from tests.deploy_support import (
    ROOT,
    SITE,
    NoRedirect,
    find_nginx,
    free_port,
    hashed_static_name,
    local_nginx_conf,
    make_world_readable_dir,
    manage,
    production_env,
    start,
    start_gunicorn,
    stop,
    wait_for_port,
)


@pytest.fixture(scope="module")
def data_dir():
    path = make_world_readable_dir()
    result = manage(production_env(path), "collectstatic", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    yield path
    subprocess.run(["rm", "-rf", str(path)], check=False)


@pytest.fixture(scope="module")
def gunicorn_port(data_dir):
    port = free_port()
    process = start_gunicorn(production_env(data_dir), port, data_dir / "gunicorn.log")
    yield port
    stop(process)


@pytest.fixture(scope="module")
def nginx(data_dir, gunicorn_port):
    workdir = make_world_readable_dir()
    binary, mime_types = find_nginx(workdir)
    http_port, https_port = free_port(), free_port()
    conf = local_nginx_conf(
        workdir, mime_types, upstream_port=gunicorn_port, data_dir=data_dir, http_port=http_port, https_port=https_port
    )
    process = start([str(binary), "-c", str(conf), "-p", f"{workdir}/", "-g", "daemon off;"], workdir / "nginx.log")
    wait_for_port(https_port, process)
    yield {"binary": binary, "conf": conf, "workdir": workdir, "http": http_port, "https": https_port}
    stop(process)
    subprocess.run(["rm", "-rf", str(workdir)], check=False)


def https_get(port, path, method="GET", headers=None, body=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request(method, path, body=body, headers={"Host": "example.cn", **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


# Settings


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY=""), "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_collectstatic_writes_hashed_and_compressed_files_into_data_dir(data_dir):
    hashed = hashed_static_name(data_dir, "css/site.css")
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    assert (data_dir / "static" / hashed).exists()
    assert (data_dir / "static" / f"{hashed}.gz").exists()


def test_upload_limits_fit_within_nginx_client_max_body_size():
    conf = (SITE / "nginx.conf").read_text()
    nginx_limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1)) * 1024 * 1024
    assert nginx_limit > settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    assert nginx_limit > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert nginx_limit > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_certificate_imports_fit_within_their_nginx_location():
    conf = (SITE / "nginx.conf").read_text()
    location = re.search(r"location /admin/import-certificates/ \{(.*?)\}", conf, flags=re.DOTALL).group(1)
    nginx_limit = int(re.search(r"client_max_body_size (\d+)m;", location).group(1)) * 1024 * 1024
    path = reverse("lookup_import:upload")
    assert path.startswith("/admin/import-certificates/")
    assert nginx_limit > MAX_UPLOAD_BYTES


# gunicorn


def test_gunicorn_workers_default_to_twice_the_cpus_plus_one(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(SITE / "gunicorn.conf.py"))
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["preload_app"] is True


def test_gunicorn_serves_django_with_production_settings_and_logs_the_request(tmp_path):
    port = free_port()
    process = start_gunicorn(production_env(tmp_path), port, tmp_path / "gunicorn.log")
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/zh-hans/jsi18n/", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 200
    finally:
        log = stop(process)
    assert "Booting worker" in log
    assert '"GET /zh-hans/jsi18n/ HTTP/1.1" 200' in log


def test_gunicorn_behind_no_proxy_redirects_plain_http_to_https(gunicorn_port):
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"http://127.0.0.1:{gunicorn_port}/zh-hans/jsi18n/", timeout=10)
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"] == f"https://127.0.0.1:{gunicorn_port}/zh-hans/jsi18n/"


def test_whitenoise_serves_hashed_static_files_without_nginx(gunicorn_port, data_dir):
    name = hashed_static_name(data_dir, "css/site.css")
    request = urllib.request.Request(
        f"http://127.0.0.1:{gunicorn_port}/static/{name}", headers={"X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert "immutable" in response.headers["Cache-Control"]


# nginx


def test_nginx_accepts_the_configuration(nginx):
    result = subprocess.run(
        [str(nginx["binary"]), "-t", "-c", str(nginx["conf"]), "-p", f"{nginx['workdir']}/"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr


def test_nginx_redirects_http_to_https(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=10)
    connection.request("GET", "/en/lookup/?q=1", headers={"Host": "example.cn"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://example.cn/en/lookup/?q=1"


def test_nginx_proxies_to_django_which_sees_https(nginx):
    response = https_get(nginx["https"], "/zh-hans/jsi18n/")
    assert response.status == 200
    assert b"django.catalog" in response.body or b"gettext" in response.body


SECURITY_HEADERS = [
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
]


def test_nginx_passes_djangos_security_headers_through_once(nginx):
    response = https_get(nginx["https"], "/zh-hans/jsi18n/")
    assert {name: len(response.headers.get_all(name) or []) for name in SECURITY_HEADERS} == dict.fromkeys(
        SECURITY_HEADERS, 1
    )
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "upgrade-insecure-requests" in response.headers["Content-Security-Policy"]


def test_nginx_passes_the_admins_own_policy_through(nginx):
    response = https_get(nginx["https"], "/admin/login/")
    assert response.headers.get_all("Content-Security-Policy") == [response.headers["Content-Security-Policy"]]
    assert "script-src 'self' 'unsafe-inline'" in response.headers["Content-Security-Policy"]


def test_nginx_adds_the_security_headers_to_files_it_serves_itself(nginx):
    response = https_get(nginx["https"], "/static/css/site.css")
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # No policy of its own on the site's scripts: a worker keeps its page's policy.
    assert response.headers["Content-Security-Policy"] is None


def test_nginx_forbids_everything_to_uploads_and_its_own_error_pages(nginx):
    response = https_get(nginx["https"], "/media/original_images/upload.svg")
    assert response.status == 404
    assert response.headers.get_all("Content-Security-Policy") == [
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'; sandbox"
    ]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_nginx_caches_hashed_static_files_for_a_year(nginx, data_dir):
    response = https_get(nginx["https"], "/static/" + hashed_static_name(data_dir, "css/site.css"))
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Cache-Control"] == "max-age=315360000"
    assert response.headers.get_all("Strict-Transport-Security")


def test_nginx_caches_unhashed_static_files_for_an_hour(nginx):
    response = https_get(nginx["https"], "/static/css/site.css")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "max-age=3600"


def test_nginx_serves_the_precompressed_static_file_to_gzip_clients(nginx, data_dir):
    name = hashed_static_name(data_dir, "css/site.css")
    response = https_get(nginx["https"], "/static/" + name, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.body == (data_dir / "static" / f"{name}.gz").read_bytes()


def test_nginx_refuses_a_body_over_the_upload_limit(nginx):
    response = https_get(nginx["https"], "/admin/login/", method="POST", body=b"x" * (26 * 1024 * 1024))
    assert response.status == 413


def test_nginx_rate_limits_the_trace_urls(nginx):
    # 60 requests, 30 at a time, against 5 a second with a burst of 10: unless they take
    # over 10 seconds to arrive, some are refused.
    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(lambda _: https_get(nginx["https"], "/t/NOSUCHCODE").status, range(60)))
    assert 429 in statuses


# Compose and environment files


def compose():
    return yaml.safe_load((SITE / "compose.yaml").read_text())


def test_compose_runs_the_documented_services():
    assert set(compose()["services"]) == {"postgres", "elasticsearch", "redis", "setup", "app", "nginx"}


def test_compose_gives_every_long_running_service_a_healthcheck():
    services = compose()["services"]
    assert [name for name, service in services.items() if name != "setup" and "healthcheck" not in service] == []


def test_compose_depends_only_on_services_it_defines():
    services = compose()["services"]
    for service in services.values():
        assert set(service.get("depends_on", {})) <= set(services)


def test_compose_keeps_data_in_named_volumes():
    data = compose()
    named = set(data["volumes"])
    for name in ("postgres", "elasticsearch", "redis", "app"):
        sources = {volume.split(":")[0] for volume in data["services"][name]["volumes"]}
        assert sources & named, name


def test_compose_publishes_ports_only_from_nginx():
    services = compose()["services"]
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]


def test_compose_builds_from_dockerfiles_that_exist():
    for service in compose()["services"].values():
        build = service.get("build")
        if build:
            assert (SITE / build["context"] / build["dockerfile"]).resolve().is_file()


def readme_settings():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, flags=re.MULTILINE)


def test_env_example_lists_every_setting_in_the_readme_table():
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (SITE / "env.example").read_text(), flags=re.MULTILINE))
    assert readme_settings()
    assert [name for name in readme_settings() if name not in listed] == []


def test_env_example_leaves_the_secrets_empty():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (SITE / "env.example").read_text(), flags=re.MULTILINE))
    assert values["SECRET_KEY"] == ""
    assert values["POSTGRES_PASSWORD"] == ""


def test_application_image_copies_every_first_party_package():
    pyproject = (ROOT / "pyproject.toml").read_text()
    packages = re.findall(
        r'"([a-z_]+)\*"', pyproject.split("[tool.setuptools.packages.find]", 1)[1].split("\n[", 1)[0]
    )
    allowed = set(re.findall(r"^!([a-z_]+)/$", (SITE / "Dockerfile.dockerignore").read_text(), flags=re.MULTILINE))
    assert packages
    assert [package for package in packages if package not in allowed] == []
