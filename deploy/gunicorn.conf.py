"""gunicorn in production: `gunicorn cms.wsgi --config deploy/gunicorn.conf.py` (the Procfile's
web process, deploy/systemd/praha-web.service, the Dockerfile). Tuned from the environment."""

import multiprocessing
import os

# Behind the proxy (nginx, the platform's router): PORT is the platforms' convention.
bind = [f"{os.environ.get('BIND_ADDRESS', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]
# Sync workers: each serves one request at a time. gunicorn's rule of thumb is 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows into an outage. Not too often: a worker
# takes about a second of CPU to start, and at 1,000 requests both workers of a busy instance
# restarted every second or two (served from the cache, an instance answers over 1,500 req/s), and
# both at once left none to answer. A wide jitter keeps two equally busy workers from
# restarting together (with 2,000 of 20,000, both restarted within 0.3 s in a bench run).
max_requests = 20000
max_requests_jitter = 10000
# The per-user control socket (~/.gunicorn/gunicorn.ctl) would be shared by every gunicorn of the
# user on the machine; nothing here uses gunicornc.
control_socket_disable = True

# The access log is the application's: home/operations/request_log.py writes one JSON line per
# request (with its request id), static files and redirects included. gunicorn's own lines
# (start, stop, worker timeouts) are JSON too, on stderr like the application's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "home.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
}

# Garbage collection off the request path (home/operations/worker.py): the worker imports what the
# first request would, freezes what lives as long as it does, and collects after each response
# instead of in the middle of a request.


def post_worker_init(worker):
    from home.operations import worker as lifecycle

    lifecycle.warm_up()
    lifecycle.freeze()


def post_request(worker, req, environ, resp):
    from home.operations import worker as lifecycle

    lifecycle.collect_between_requests()
