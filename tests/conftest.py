"""A migrated SQLite file in place of a fresh test database, when PRAHA_TEST_DB_TEMPLATE names one.

Migrating a test database takes ~25 s; `make mutate` starts one pytest session per mutant, so it
builds the template once (scripts/mutate.py) and every session works on its own copy (the pid in
the name: sessions run side by side). Without the variable, pytest-django's setup is unchanged."""

import os
import shutil

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


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Each test starts on a fresh database, so on a new content version (home/cache/): no answer
    cached by an earlier test is served, and no change is known to have happened yet."""
    from home.cache.version import reset_content_version

    reset_content_version()
