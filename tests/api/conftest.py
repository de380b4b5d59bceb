import pytest
from django.test import Client

from .strict import StrictSchema

_strict = {}


@pytest.fixture(scope="session")
def strict_schema(django_db_setup, django_db_blocker):
    """The schema, generated once per session (outside any test's query count)."""
    with django_db_blocker.unblock():
        _strict["schema"] = StrictSchema()
    yield _strict["schema"]
    _strict["schema"].write_report()


@pytest.fixture(autouse=True)
def strict_responses(request, strict_schema, monkeypatch):
    """Every response the test client gets from /api/v1/ is checked against the schema
    (tests/api/strict.py)."""
    original = Client.request

    def checked(client, **environ):
        response = original(client, **environ)
        strict_schema.record(
            request.node.nodeid, environ["REQUEST_METHOD"], environ["PATH_INFO"], response
        )
        return response

    monkeypatch.setattr(Client, "request", checked)


def pytest_terminal_summary(terminalreporter):
    """The schemathesis totals (tests/api/test_contract.py), when it ran."""
    from .test_contract import TALLY

    if TALLY.cases:
        terminalreporter.section("schemathesis")
        for line in TALLY.lines():
            terminalreporter.write_line(line)
