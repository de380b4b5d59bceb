from django.conf import settings  # noqa: F401  (settings are configured by pytest-django)
from django.core.management import call_command


def pytest_collection_finish(session):
    # The UI catalogues are compiled by the build (make messages); do it here too so that a bare
    # `pytest` sees the same translations.
    call_command("compile_catalogues", verbosity=0)
