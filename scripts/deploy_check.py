#!/usr/bin/env python
"""`make deploy-check`: run the production recipe for real on this machine and check it serves.

Fresh PostgreSQL database and Redis database; the environment of deploy/env.example with this
machine's values; the Procfile's release line (catalogues, migrate, collectstatic);
`check --deploy --fail-level WARNING`; the Procfile's web line (gunicorn with
deploy/gunicorn.conf.py) on a free loopback port; the seed content; then pages in cs/en/uk on both
sites, /api/v1/, the sitemap and a compressed static file, each through the proxy's headers
(X-Forwarded-Proto: https), and the JSON request log line of each. Stops everything it started.

Environment: DEPLOY_CHECK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
praha_deploy_check, dropped and recreated), DEPLOY_CHECK_REDIS_URL (default
redis://127.0.0.1:6379/2, flushed). Prints each step's time; exits 1 on the first failure.
"""

import http.client
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.prefix) / "bin"  # the venv running this script provides gunicorn and python
DATABASE_URL = os.environ.get(
    "DEPLOY_CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/praha_deploy_check"
)
REDIS_URL = os.environ.get("DEPLOY_CHECK_REDIS_URL", "redis://127.0.0.1:6379/2")
HOSTS = ("mhmp.localhost", "icp.localhost")
PROXY = {"X-Forwarded-Proto": "https"}  # what nginx sends after terminating TLS
STARTED = time.perf_counter()


class CheckFailed(Exception):
    pass


def cpu_seconds():
    """CPU time of this script and the processes it waited for: the time on an idle machine."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def mark():
    return time.perf_counter(), cpu_seconds()


def step(name, began):
    """One line per step: wall time, and CPU time of the waited-for processes (idle estimate)."""
    wall, cpu = time.perf_counter() - began[0], cpu_seconds() - began[1]
    print(f"  ok  {name:62} {wall:6.1f} s  (CPU {cpu:5.1f} s)", flush=True)


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def example_environment():
    """deploy/env.example's active lines, then this machine's values for what differs."""
    environment = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("=", 1)
            environment[key] = value
    environment.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=",".join(HOSTS),
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        WAGTAILADMIN_BASE_URL=f"https://{HOSTS[0]}",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="praha-deploy-check-media-"),
        BIND_ADDRESS="127.0.0.1",
        PORT=str(free_port()),
        WEB_CONCURRENCY="2",
        CACHE_KEY_PREFIX=f"deploy-check-{os.getpid()}",
    )
    # Nothing from the caller's environment leaks in, except what finds programs and locales.
    return {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        **environment,
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database():
    import psycopg

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()


def run(command, env, name):
    began = mark()
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        raise CheckFailed(f"{name}: exit {result.returncode}\n{result.stdout}{result.stderr}")
    step(name, began)
    return result.stdout + result.stderr


def fetch(port, path, host=HOSTS[0], headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_up(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        expect(server.poll() is None, f"gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise CheckFailed(f"gunicorn did not listen on port {port} within {seconds} s")


def check_pages(port):
    """Each site's home in each language: 200, the language in <html lang>, nothing on 500."""
    stylesheet = None
    for host in HOSTS:
        for language in ("cs", "en", "uk"):
            status, headers, body = fetch(port, f"/{language}/", host, PROXY)
            expect(status == 200, f"{host}/{language}/ answered {status}")
            html = body.decode()
            expect(f'<html lang="{language}"' in html, f"{host}/{language}/: no lang={language}")
            expect("Strict-Transport-Security" in headers, f"{host}/{language}/: no HSTS")
            stylesheet = stylesheet or re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html)
    expect(stylesheet, "pages do not link the hashed stylesheet (collectstatic's manifest)")
    return stylesheet.group(1)


def check_static(port, path):
    status, headers, body = fetch(port, path, headers={**PROXY, "Accept-Encoding": "gzip"})
    expect(status == 200, f"{path} answered {status}")
    expect(headers.get("Content-Encoding") == "gzip", f"{path} is not served compressed")
    expect("immutable" in headers.get("Cache-Control", ""), f"{path} is not cached forever")
    return len(body)


def check_api_and_sitemap(port):
    status, headers, body = fetch(port, "/api/v1/", headers=PROXY)
    expect(status == 200 and "sites" in json.loads(body), f"/api/v1/ answered {status}")
    status, _, body = fetch(port, "/api/v1/meetings/", headers=PROXY)
    expect(status == 200 and json.loads(body)["results"], "/api/v1/meetings/ lists no meeting")
    status, _, body = fetch(port, "/sitemap.xml", headers=PROXY)
    expect(status == 200 and b"<sitemapindex" in body, f"/sitemap.xml answered {status}")
    status, _, body = fetch(port, "/sitemap-pages.xml", headers=PROXY)
    expect(status == 200 and b"<loc>http" in body, f"/sitemap-pages.xml answered {status}")


def check_https_redirect(port):
    status, headers, _ = fetch(port, "/cs/")
    expect(status == 301, f"plain HTTP answered {status}, not a redirect to HTTPS")
    expect(headers["Location"].startswith("https://"), f"redirected to {headers['Location']}")


def check_request_log(port, log_path):
    """The proxy's request id is echoed and written on the JSON line of that request."""
    status, headers, _ = fetch(port, "/api/v1/", headers={**PROXY, "X-Request-ID": "deploy-chk"})
    expect(headers.get("X-Request-ID") == "deploy-chk", "X-Request-ID is not echoed")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in log_path.read_text().splitlines() if line]
        mine = [line for line in lines if line.get("request_id") == "deploy-chk"]
        if mine:
            expect(mine[0]["path"] == "/api/v1/" and mine[0]["status"] == 200, str(mine[0]))
            return len(lines)
        time.sleep(0.1)
    raise CheckFailed("no JSON request log line carries the request id")


def check_worker(env, command):
    """The worker starts and stays up (it runs until stopped), then stops on SIGTERM."""
    began = mark()
    probe = subprocess.run(
        ["bash", "-c", "python manage.py help run_tasks"], cwd=ROOT, env=env, capture_output=True
    )
    if probe.returncode:
        print("  --  worker: `manage.py run_tasks` does not exist yet (helper sched); skipped")
        return
    worker = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=ROOT, env=env)
    try:
        time.sleep(3)
        expect(worker.poll() is None, f"worker exited with {worker.returncode}")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    step(f"worker: {command} (up 3 s, stopped)", began)


def serve(env, command):
    log_path = Path(tempfile.mkstemp(prefix="praha-deploy-check-", suffix=".log")[1])
    port = int(env["PORT"])
    began = mark()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        wait_until_up(port, server)
        step(f"web: {command} (port {port})", began)
        run("python manage.py load_seed_content", env, "seed content")
        began = mark()
        stylesheet = check_pages(port)
        step("pages: / cs, en, uk on both sites (200, lang, HSTS)", began)
        began = mark()
        check_api_and_sitemap(port)
        step("/api/v1/, /api/v1/meetings/, /sitemap.xml and its section", began)
        began = mark()
        size = check_static(port, stylesheet)
        step(f"static {stylesheet} (gzip, {size} B, immutable)", began)
        began = mark()
        check_https_redirect(port)
        lines = check_request_log(port, log_path)
        step(f"HTTP → HTTPS; X-Request-ID echoed and logged ({lines} JSON lines)", began)
    except (CheckFailed, OSError, ValueError, KeyError):
        print(f"gunicorn's log ({log_path}):\n{log_path.read_text()[-4000:]}", file=sys.stderr)
        raise
    finally:
        began = mark()
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
    expect(code == 0, f"gunicorn stopped with exit code {code}")
    step("web stopped (SIGTERM, exit 0)", began)
    log_path.unlink()


def main():
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(1))  # still stop gunicorn (finally)
    processes = procfile()
    env = example_environment()
    print(f"deploy-check: {env['DJANGO_SETTINGS_MODULE']}, {DATABASE_URL}, {REDIS_URL}")
    began = mark()
    recreate_database()
    flush_redis()
    step("fresh PostgreSQL database and Redis database", began)
    run(processes["release"], env, "release: catalogues, migrate, collectstatic")
    output = run("python manage.py check --deploy --fail-level WARNING", env, "check --deploy")
    expect("no issues (0 silenced)" in output, output)
    serve(env, processes["web"])
    check_worker(env, processes["worker"])
    print(
        f"deploy-check passed in {time.perf_counter() - STARTED:.1f} s "
        f"(CPU {cpu_seconds():.1f} s; gunicorn's counted when it stops)"
    )


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as failure:
        print(f"deploy-check FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
