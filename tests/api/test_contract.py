"""Schema = behaviour: schemathesis generates requests from /api/v1/schema/ (valid and invalid
values, boundaries, missing and unsupported methods) and runs every check on the answers of the
app, in process, over the seed content plus translations, an action plan and odd meetings.
0 failures. The totals are printed at the end of the pytest run (tests/api/conftest.py).

`make schemathesis` runs more cases (CONTRACT_EXAMPLES fuzzed cases per operation).
"""

import datetime
import os
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.core.failures import Failure, FailureGroup

from concept.models import ActionPlanItem, ActionPlanPage, ConceptPage, Measure
from home.models import Organisation, Person
from platforms.models import MeetingPage, PlatformPage

from .factories import add, document, translate, translate_snippet

# Fuzzing examples per operation (positive and negative together), on top of the coverage phase's
# fixed boundary cases (about 1,600): about 1,800 cases in all.
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "10"))


class Tally:
    """What the run did: cases sent and failures by check (printed by conftest.py)."""

    def __init__(self):
        self.cases = 0
        self.operations = set()
        self.phases = Counter()
        self.statuses = Counter()
        self.failures = Counter()

    def record(self, case, response):
        self.cases += 1
        self.operations.add(case.operation.label)
        self.phases[case.meta.phase.name.value if case.meta else "explicit"] += 1
        self.statuses[response.status_code] += 1

    def failed(self, error):
        failures = error.exceptions if isinstance(error, FailureGroup) else [error]
        for failure in failures:
            self.failures[f"{failure.code} {failure.kind_title}"] += 1

    def lines(self):
        phases = ", ".join(f"{phase} {n}" for phase, n in sorted(self.phases.items()))
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        failures = ", ".join(f"{name}: {n}" for name, n in sorted(self.failures.items()))
        return [
            f"schemathesis: {self.cases} cases on {len(self.operations)} operations ({phases}); "
            f"statuses {statuses}",
            f"schemathesis: failures by check: {failures or 'none'}",
        ]


TALLY = Tally()


def add_contract_content():
    """The seed, plus what it lacks so that every field and branch is exercised: translations
    (en, uk), an action plan with items, a cancelled and a date-only meeting with minutes."""
    call_command("load_seed_content", verbosity=0)
    platform = PlatformPage.objects.filter(locale__language_code="cs").order_by("pk").first()
    today = datetime.date.today()
    upcoming = add(
        platform,
        MeetingPage,
        date=today + datetime.timedelta(days=30),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 0),
        topic="Test topic",
        minutes=document(),
    )
    add(platform, MeetingPage, date=today + datetime.timedelta(days=60), status="cancelled")
    for language in ("en", "uk"):
        translate(upcoming, language, title=f"Test meeting {language}")
    concept = ConceptPage.objects.order_by("pk").first()
    measure = Measure.objects.order_by("pk").first()
    organisation = Organisation.objects.filter(locale__language_code="cs").order_by("pk").first()
    item = ActionPlanItem(measure=measure, responsible=organisation, status="done", deadline=today)
    plan = add(concept, ActionPlanPage, year=today.year, children={"items": [item]})
    translate(plan, "en")
    translate_snippet(organisation, "en", name="Test organisation EN")
    translate_snippet(Person.objects.order_by("pk").first(), "uk", role="Test role UK")


@pytest.fixture
def api_schema(db, settings, request):
    # schemathesis 4.32.5's lazy schema renames the test node through Node._nodeid, which
    # pytest 9 no longer has; give it the attribute it reads (reporting only).
    request.node._nodeid = request.node.nodeid
    settings.API_THROTTLE_RATE = None  # every case must reach the view
    add_contract_content()
    # As Django's test client does: a request's end must not close the connection holding the
    # test's transaction (PostgreSQL would lose the content; SQLite in memory ignores close()).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


contract = schemathesis.pytest.from_fixture("api_schema")


@contract.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same cases on every run (and both databases)
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_answers_as_its_schema_says(case):
    response = case.call()
    TALLY.record(case, response)
    try:
        case.validate_response(response)
    except (Failure, FailureGroup) as error:
        TALLY.failed(error)
        raise
