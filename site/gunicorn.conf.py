"""Gunicorn settings for production: ``gunicorn -c site/gunicorn.conf.py config.wsgi``.

Every value can be changed from the environment (see site/env.example).
"""

import gc
import os


def _cpu_count():
    # The CPUs this process may run on (a container's cpuset), not the host's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Django's synchronous views: (2 × CPUs) + 1 sync workers is gunicorn's rule of thumb.
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * _cpu_count() + 1)
worker_class = "sync"
# Load the application once in the master, so a broken deployment fails at start and
# workers share the read-only memory (templates, the jieba dictionary) after fork.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Heartbeat files on a RAM disk in containers, where /tmp may be a slow overlay.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# nginx is the only client; it sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
limit_request_line = 8190
# No runtime control socket (gunicornc): the container is restarted instead, and the
# app user has no writable home for the socket.
control_socket_disable = True

# GUNICORN_ACCESS_LOG="" turns the access log off (nginx keeps its own).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# Client address as nginx saw it, request, status, bytes, referrer, agent, duration in ms.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s "%(f)s" "%(a)s" %(M)sms'


def pre_fork(server, worker):
    # Everything the preloaded application made (settings, URL patterns, templates, the
    # jieba dictionary: some 390,000 objects) lives as long as the worker. Frozen, the
    # garbage collector no longer walks it: a full collection over it took 130 ms here,
    # holding every request queued on it, and no longer writes to the pages the
    # workers share with the master (the gc.freeze() recipe of Python's documentation).
    gc.freeze()


def post_fork(server, worker):
    # Nothing should open a database connection while preloading; if something did,
    # never share it between workers.
    from django.db import connections

    connections.close_all()
    # Scan counts reach the database from a thread of the worker, not from a request.
    from lookup import scan_counts

    scan_counts.flush_in_background()


def worker_exit(server, worker):
    # A worker stopping normally (shutdown, reload, max_requests) writes the scan counts
    # it still holds in the cache to the database (lookup.scan_counts).
    from lookup import scan_counts

    scan_counts.flush()
