"""A migrated SQLite file in place of a fresh test database, when PRAHA_TEST_DB_TEMPLATE names one.

Migrating a test database takes ~25 s; `make mutate` starts one pytest session per mutant, so it
builds the template once (scripts/mutate.py) and every session works on its own copy (the pid in
the name: sessions run side by side). Without the variable, pytest-django's setup is unchanged."""

import os
import shutil
import zlib

import pytest

TEMPLATE = os.environ.get("PRAHA_TEST_DB_TEMPLATE")

if TEMPLATE:

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker):
        from django.db import connections

        copy = f"{TEMPLATE}.{os.getpid()}"
        shutil.copyfile(TEMPLATE, copy)
        with django_db_blocker.unblock():
            connections.close_all()
            connections["default"].settings_dict["NAME"] = copy
        yield
        with django_db_blocker.unblock():
            connections.close_all()
        os.remove(copy)


# --- A share of the suite, for CI's two lanes -----------------------------------------------------
#
# PRAHA_TEST_SHARD="1/5" keeps the tests of the files in bucket 1 of 5, "2-5/5" those in buckets
# 2 to 5; together the shards are the whole suite, each file in exactly one. .ci/run runs the
# PostgreSQL suite as two shards, one beside the SQLite suite, so both cores are busy until the
# end. A file stays whole: its class-level fixtures are built once.
SHARD = os.environ.get("PRAHA_TEST_SHARD", "")


def _shard_buckets(spec):
    try:
        wanted, count = spec.split("/")
        first, _, last = wanted.partition("-")
        count, first, last = int(count), int(first), int(last or first)
    except ValueError:
        raise pytest.UsageError(f"PRAHA_TEST_SHARD={spec!r}: expected 'k/n' or 'a-b/n'") from None
    if not 1 <= first <= last <= count:
        raise pytest.UsageError(f"PRAHA_TEST_SHARD={spec!r}: buckets must lie in 1..{count}")
    return range(first, last + 1), count


def shard_of(path, count):
    """The bucket (1..count) of a test file: stable across runs, machines and Python versions."""
    return zlib.crc32(path.encode()) % count + 1


def pytest_report_header(config):
    return f"shard {SHARD} (PRAHA_TEST_SHARD)" if SHARD else None


def pytest_collection_modifyitems(config, items):
    if not SHARD:
        return
    buckets, count = _shard_buckets(SHARD)
    rootdir = str(config.rootpath)
    kept, dropped = [], []
    for item in items:
        path = os.path.relpath(str(item.path), rootdir)
        (kept if shard_of(path, count) in buckets else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Each test starts on a fresh database, so on a new content version (home/cache/): no answer
    cached by an earlier test is served, and no change is known to have happened yet."""
    from home.cache.version import reset_content_version

    reset_content_version()
