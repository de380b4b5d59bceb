"""Outage drill: what readers see while PostgreSQL or Redis is down, and how fast the platform
answers again once it is back (no restart).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/praha_drill \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python scripts/outage_drill.py

Serves the project with gunicorn (production settings, CONN_MAX_AGE=60) through two TCP relays
it owns, one in front of PostgreSQL and one in front of Redis. Stopping a relay (listening socket
and every open connection closed) is the outage; the servers themselves are never touched. The
database must be migrated (`manage.py migrate`; `load_seed_content` for pages to show).
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "/api/v1/platforms/",
    "/api/v1/meetings/calendar.ics",
    "/api/v2/pages/",
    "/cs/",
    "/en/",
    "/uk/",
    "/healthz",
    "/readyz",
]
RECOVERY_URLS = ["/api/v1/platforms/", "/en/"]


class Relay:
    """A TCP relay 127.0.0.1:<port> → target that can be switched off and on."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (Linux)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def via(url, relay):
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    auth = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{auth}127.0.0.1:{relay.port}"))


def get(base, path):
    request = urllib.request.Request(base + path, headers={"Host": "mhmp.localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def show(base, title):
    print(f"\n{title}")
    for path in URLS:
        started = time.monotonic()
        status, headers = get(base, path)
        took = (time.monotonic() - started) * 1000
        content_type = (headers.get("Content-Type") or "").split(";")[0]
        retry = headers.get("Retry-After") or "-"
        print(f"  {status} {content_type:26} Retry-After {retry:3} {took:6.0f} ms  {path}")


def time_to_recover(base):
    """(seconds, failed answers) from the service's return until every RECOVERY_URL answers 200."""
    started, failed = time.monotonic(), 0
    while True:
        statuses = [get(base, path)[0] for path in RECOVERY_URLS]
        if all(status == 200 for status in statuses):
            return time.monotonic() - started, failed
        failed += sum(status != 200 for status in statuses)
        if time.monotonic() - started > 60:
            return None, failed
        time.sleep(0.05)


def drill(base, relay, name):
    relay.stop()
    show(base, f"{name} down:")
    relay.start()
    seconds, failed = time_to_recover(base)
    shown = f"{seconds:.2f} s" if seconds is not None else "not within 60 s"
    print(
        f"  {name} back: {', '.join(RECOVERY_URLS)} answer 200 again after {shown} "
        f"({failed} non-200 answers after its return)"
    )


def main():
    database, cache = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    db_parts, cache_parts = urlsplit(database), urlsplit(cache)
    db_relay = Relay(db_parts.hostname, db_parts.port or 5432)
    cache_relay = Relay(cache_parts.hostname, cache_parts.port or 6379)
    db_relay.start()
    cache_relay.start()
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": via(database, db_relay),
        "REDIS_URL": via(cache, cache_relay),
        "CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "outage-drill",
        "ALLOWED_HOSTS": "*",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [gunicorn, "cms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                get(base, "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        show(base, "All up:")
        drill(base, db_relay, "PostgreSQL")
        drill(base, cache_relay, "Redis")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
