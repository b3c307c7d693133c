#!/usr/bin/env bash
# Everyday entry point. `./dev.sh serve` and `./dev.sh test` set up everything they
# need on a new machine (virtualenv, packages, system packages, database, demo
# content) and are safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv
PY="$VENV/bin/python"

# Debian packages: gettext for the catalogues; for the tests also Chromium (browser
# tests), CJK fonts (Chinese screenshots) and zbar (QR decoding).
ensure_debian_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_venv() {
    [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
    local stamp="$VENV/.installed" want
    want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$PY" -m pip install -q --disable-pip-version-check --upgrade pip
        "$PY" -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
        echo "$want" > "$stamp"
    fi
}

# The browser libraries the site serves (frontend/package.json, e.g. the QR decoder),
# installed again whenever the lock file changes; Debian's Node.js when npm is missing.
ensure_frontend_packages() {
    command -v npm >/dev/null 2>&1 || ensure_debian_packages nodejs npm
    local stamp=frontend/node_modules/.installed want
    want=$(sha256sum frontend/package-lock.json | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        (cd frontend && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
        echo "$want" > "$stamp"
    fi
}

compile_messages() {
    "$PY" manage.py compilemessages --ignore="$VENV" --ignore=node_modules -v 0
}

case "${1:-help}" in
    setup)
        ensure_debian_packages gettext
        ensure_venv
        ensure_frontend_packages
        compile_messages
        "$PY" manage.py migrate --no-input -v 0
        ;;
    serve)
        ensure_debian_packages gettext
        ensure_venv
        ensure_frontend_packages
        compile_messages
        "$PY" manage.py migrate --no-input -v 0
        "$PY" manage.py load_demo_content
        echo "Serving on http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
        exec "$PY" manage.py runserver 127.0.0.1:8000
        ;;
    test)
        shift
        ensure_debian_packages gettext chromium fonts-noto-cjk zbar-tools
        ensure_venv
        ensure_frontend_packages
        compile_messages
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        # Two workers, one per core. Tests are handed out in pytest-django's order
        # (transactional tests last), so a transactional test's flush never empties
        # the reference data under a later test on the same worker.
        exec "$VENV/bin/pytest" -n 2 --dist load "$@"
        ;;
    *)
        echo "usage: ./dev.sh serve | ./dev.sh test [pytest arguments] | ./dev.sh setup" >&2
        exit 2
        ;;
esac
