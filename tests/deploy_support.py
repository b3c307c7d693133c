"""Running the production pieces on this machine: settings, gunicorn and nginx.

nginx is Debian's build, the one site/nginx.Dockerfile installs. Where it is not
installed, its package is unpacked into a temporary folder with apt-get download and
dpkg -x, so nothing is installed or started system-wide.
"""

import contextlib
import json
import os
import re
import runpy
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=20, host="127.0.0.1"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = Path(process.log_path).read_text() if hasattr(process, "log_path") else ""
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}:\n{log}")
        try:
            socket.create_connection((host, port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port} after {timeout}s")


def start(command, log_path, **kwargs):
    """Start a server with its output in a file: a pipe nobody reads would fill and block it."""
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop())
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **kwargs)
    process.log_path = log_path
    process.log_file = log
    return process


def stop(process):
    """Stop a server from start(); return what it logged."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log_file.close()
    return Path(process.log_path).read_text()


def production_env(data_dir, **extra):
    """Environment for a production-settings process with a throwaway key and data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECURE_SSL_REDIRECT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.cn,127.0.0.1",
        DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


# What production changes about security: HTTPS, HSTS, cookies, headers and policies.
SECURITY_SETTING = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|LANGUAGE_COOKIE_|X_FRAME_OPTIONS$|CONTENT_SECURITY_POLICY|PERMISSIONS_POLICY)"
)


def production_security_settings():
    """The security settings of config/settings/production.py, for override_settings in
    tests that run on the test settings otherwise."""
    with mock.patch.dict(os.environ, {"SECRET_KEY": secrets.token_urlsafe(50)}):
        production = runpy.run_module("config.settings.production")
    return {name: value for name, value in production.items() if SECURITY_SETTING.match(name)}


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def start_gunicorn(env, port, log_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = start(
        [str(gunicorn), "-c", str(SITE / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        log_path,
        cwd=ROOT,
        env={**env, "GUNICORN_WORKERS": "1"},
    )
    wait_for_port(port, process)
    return process


def find_nginx(workdir):
    """An nginx binary and its mime.types: the installed one, else Debian's package unpacked."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists() and Path("/etc/nginx/mime.types").exists():
            return Path(candidate), Path("/etc/nginx/mime.types")
    unpack = Path(workdir) / "nginx-package"
    unpack.mkdir(exist_ok=True)
    command = ["apt-get", "download", "nginx", "nginx-common"]
    download = subprocess.run(command, cwd=unpack, capture_output=True, text=True, timeout=120)
    if download.returncode != 0:
        # A new machine may not have the package lists yet.
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, timeout=300)
        download = subprocess.run(command, cwd=unpack, capture_output=True, text=True, timeout=120)
    if download.returncode != 0:
        raise RuntimeError(f"cannot get Debian's nginx package (apt-get download): {download.stderr}")
    for deb in unpack.glob("*.deb"):
        subprocess.run(["dpkg", "-x", str(deb), str(unpack / "root")], check=True, timeout=60)
    return unpack / "root/usr/sbin/nginx", unpack / "root/etc/nginx/mime.types"


def self_signed_certificate(folder, address="127.0.0.1"):
    """A certificate for localhost and ``address`` that a client can trust by name
    (e.g. Node's NODE_EXTRA_CA_CERTS), since it is its own authority."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", f"subjectAltName=DNS:localhost,IP:{address}",
            "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip


def local_nginx_conf(
    workdir, mime_types, *, upstream_port, data_dir, http_port=80, https_port=443, address="127.0.0.1"
):
    """site/nginx.conf with this machine's paths and ports in place of the containers'.

    Only file locations, the upstream address and the listening address and ports
    change; every directive under test stays as written.
    """
    workdir = Path(workdir)
    certs = workdir / "certs"
    certs.mkdir(exist_ok=True)
    self_signed_certificate(certs, address)
    conf = (SITE / "nginx.conf").read_text()
    replacements = {
        "pid /run/nginx.pid;": f"pid {workdir / 'nginx.pid'};",
        "include /etc/nginx/mime.types;": f"include {mime_types};",
        "/etc/nginx/certs/": f"{certs}/",
        "server app:8000;": f"server 127.0.0.1:{upstream_port};",
        "/srv/data/": f"{data_dir}/",
        "listen 80 default_server;": f"listen {address}:{http_port} default_server;",
        "listen [::]:80 default_server;": "",
        "listen 443 ssl http2 default_server;": f"listen {address}:{https_port} ssl http2 default_server;",
        "listen [::]:443 ssl http2 default_server;": "",
    }
    for old, new in replacements.items():
        if old not in conf:
            raise AssertionError(f"site/nginx.conf no longer contains {old!r}; update tests/deploy_support.py")
        conf = conf.replace(old, new)
    temp_paths = "".join(
        f"    {kind}_temp_path {workdir / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = conf.replace("http {\n", "http {\n" + temp_paths, 1)
    path = workdir / "nginx.conf"
    path.write_text(conf)
    return path


def make_world_readable_dir():
    """A temporary folder nginx's www-data workers can read."""
    path = Path(tempfile.mkdtemp(prefix="greencert-deploy-"))
    path.chmod(0o755)
    return path


def hashed_static_name(data_dir, name):
    manifest = json.loads((Path(data_dir) / "static" / "staticfiles.json").read_text())
    return manifest["paths"][name]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def random_loopback_address():
    """An address of 127.0.0.0/8 other than 127.0.0.1, where ports 80 and 443 are free
    for a scanner that knows no other ports."""
    return f"127.{secrets.randbelow(254) + 1}.{secrets.randbelow(256)}.{secrets.randbelow(253) + 2}"


@contextlib.contextmanager
def production_site(address, *, log=sys.stderr):
    """The site as production serves it: the demo pages (no certificates) in SQLite,
    gunicorn with the production settings, and site/nginx.conf in front listening on
    ``address`` ports 80 and 443 with a self-signed certificate for that address.

    Yields the certificate's path, for clients to trust it.
    """
    data_dir = make_world_readable_dir()
    workdir = make_world_readable_dir()
    processes = []
    try:
        env = production_env(data_dir, ALLOWED_HOSTS=f"{address},localhost")
        for step in (
            ("collectstatic", "--no-input", "-v", "0"),
            ("migrate", "--no-input", "-v", "0"),
            ("load_demo_content", "--no-certificates"),
        ):
            print(f"manage.py {' '.join(step)}", file=log, flush=True)
            result = manage(env, *step, timeout=600)
            if result.returncode != 0:
                raise RuntimeError(f"manage.py {step[0]} failed:\n{result.stdout}{result.stderr}")
        gunicorn_port = free_port()
        processes.append(start_gunicorn(env, gunicorn_port, data_dir / "gunicorn.log"))
        binary, mime_types = find_nginx(workdir)
        conf = local_nginx_conf(workdir, mime_types, upstream_port=gunicorn_port, data_dir=data_dir, address=address)
        nginx = start([str(binary), "-c", str(conf), "-p", f"{workdir}/", "-g", "daemon off;"], workdir / "nginx.log")
        processes.append(nginx)
        wait_for_port(443, nginx, host=address)
        yield workdir / "certs" / "fullchain.pem"
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
