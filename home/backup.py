"""Backup and restore of the whole site: the database and the media directory in one tar file.

PostgreSQL is dumped with `pg_dump -Fc` and restored with `pg_restore` (the server's own tools,
so the restored database is the same data, not a re-serialisation); SQLite with its online backup
API (a consistent copy even while the site runs). The archive holds:

    manifest.json        engine, time, the Django migration state
    database.pgdump      or database.sqlite3
    media/…              the uploaded files (MEDIA_ROOT), when there are any
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """Something the operator must fix; the message says what. Nothing was changed."""


def engine(alias="default"):
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def default_archive_name():
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    return Path("backups") / f"praha-{stamp}.tar"


# --- backup ------------------------------------------------------------------------------------
def backup(archive, alias="default", media=True):
    """Write the database (and media) of `alias` to the tar file `archive`; returns its path."""
    vendor = engine(alias)
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DUMPS[vendor]
        (dump_postgresql if vendor == "postgresql" else dump_sqlite)(connections[alias], dump)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            add_bytes(tar, MANIFEST, json.dumps(manifest(vendor, alias), indent=2).encode())
            tar.add(dump, arcname=dump.name)
            media_root = Path(settings.MEDIA_ROOT)
            if media and media_root.is_dir():
                tar.add(media_root, arcname="media")
        partial.replace(archive)  # never leave a half-written archive under the final name
    return archive


def manifest(vendor, alias):
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder(connections[alias]).applied_migrations()
    return {
        "format": 1,
        "engine": vendor,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "migrations": sorted(f"{app}.{name}" for app, name in applied),
    }


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def dump_postgresql(connection, target):
    run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], connection)


def dump_sqlite(connection, target):
    source = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)  # consistent even while others write
        copy.close()
    finally:
        source.close()


# --- restore -----------------------------------------------------------------------------------
def restore(archive, alias="default", media=True):
    """Replace the database of `alias` (and the media directory) with the archive's content."""
    vendor = engine(alias)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No backup file {archive}.")
    with tempfile.TemporaryDirectory() as workdir, open_archive(archive) as tar:
        info = read_manifest(tar)
        if info.get("engine") != vendor:
            raise BackupError(
                f"{archive} holds a {info.get('engine')} database; this site uses {vendor}. "
                "Restore it into the same kind of database."
            )
        dump = Path(workdir) / DUMPS[vendor]
        extract(tar, DUMPS[vendor], dump)
        has_media = any(name.startswith("media/") for name in tar.getnames())
        connections[alias].close()
        if vendor == "postgresql":
            restore_postgresql(connections[alias], dump)
        else:
            restore_sqlite(connections[alias], dump)
        if media and has_media:
            restore_media(tar, Path(settings.MEDIA_ROOT))
    return info


def open_archive(archive):
    try:
        return tarfile.open(archive, "r")
    except tarfile.TarError as error:
        raise BackupError(f"{archive} is not a backup archive ({error}).") from None


def read_manifest(tar):
    try:
        return json.loads(tar.extractfile(MANIFEST).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError(f"The archive has no valid {MANIFEST}; not made by `backup`.") from None


def extract(tar, name, target):
    try:
        member = tar.extractfile(name)
    except KeyError:
        raise BackupError(f"The archive has no {name}.") from None
    with open(target, "wb") as handle:
        shutil.copyfileobj(member, handle)


def restore_postgresql(connection, dump):
    """The dump replaces the whole schema in ONE transaction (psql --single-transaction): an
    empty schema first, so the result is the dump and nothing else (no tables of newer
    migrations left over); on any error nothing changes."""
    script = dump.with_suffix(".sql")
    run(["pg_restore", "--no-owner", f"--file={script}", str(dump)], connection, database=False)
    run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            "--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
            f"--file={script}",
        ],
        connection,
        dbname_flag="--dbname",
    )


def restore_sqlite(connection, dump):
    with sqlite3.connect(dump) as source:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The archive's SQLite database is damaged.")
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)  # page by page, as one write transaction on the target
        finally:
            target.close()
    source.close()


def restore_media(tar, media_root):
    """The archive's media replace MEDIA_ROOT; the previous directory is kept beside it."""
    if media_root.exists():
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    with tempfile.TemporaryDirectory(dir=media_root.parent) as staging:
        members = [m for m in tar.getmembers() if m.name.startswith("media/")]
        tar.extractall(staging, members=members, filter="data")  # no paths outside staging
        Path(staging, "media").rename(media_root)


# --- the server tools ------------------------------------------------------------------------
def run(command, connection, database=True, dbname_flag=None):
    """Run pg_dump/pg_restore against the connection's server; errors become BackupError."""
    params = connection.settings_dict
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = list(command)
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database and params.get(key):
            args.append(f"{flag}={params[key]}")
    if database:
        args.append(f"{dbname_flag}={params['NAME']}" if dbname_flag else params["NAME"])
    if shutil.which(args[0]) is None:
        raise BackupError(
            f"{args[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()}")
    return result.stdout
