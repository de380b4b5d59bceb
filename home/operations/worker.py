"""A web worker's life: loaded before its first request, garbage collected between requests.

Called from gunicorn's hooks (deploy/gunicorn.conf.py); `make bench` serves with that config.

- `warm_up()`: Django imports the URLconf (and with it the admin, the API and every app's
  wagtail_hooks) on the first request, not at start. The first reader after a (re)start waited
  about 250 ms for those imports, and `max_requests` restarts each worker every 20,000–30,000
  requests.
- `freeze()`: what is alive once the worker is loaded (modules, classes, URL patterns, templates)
  lives as long as the process. `gc.freeze()` takes it out of every later collection, so a
  collection only looks at what requests left behind.
- `collect_between_requests()`: CPython collects whenever allocations pass a threshold, that is
  in the middle of a request. An uncached answer allocates hundreds of thousands of objects, so
  every few requests one paid a full collection: 100–150 ms more, the whole p95 of the uncached
  API (measured in `make bench`). The automatic collector is switched off and the same
  generations are collected after a response instead, once the answer has been written: the
  youngest after each one (what that request left), the middle one after every 10th, and after
  every 1,000th all of them, whose survivors (caches, templates) are then frozen too. A full
  collection after each response looked at every object kept since the start, and took longer
  as the worker's caches filled: in one bench run, warm req/s fell from 1,600 to 700.
  Objects without cycles are still freed at once by reference counting; a cycle among frozen
  objects that dies later is kept until gunicorn recycles the worker (`max_requests`).
"""

import contextlib
import gc
import logging
from pathlib import Path

from django.db import DatabaseError, connection
from django.template import TemplateSyntaxError
from django.template.loader import get_template

logger = logging.getLogger(__name__)

_served = 0
MIDDLE_EVERY = 10  # responses between collections of the middle generation
FREEZE_EVERY = 1000  # responses between full collections (whose survivors are frozen)


def warm_up():
    """Do now what the first request would: import the URLconf (admin, API, views) and the
    hooks, load each language's catalogue and URL reversing tables (reverse() builds them
    lazily, per language), compile the project's templates (the cached loader compiles a
    template the first time it is asked for: 20–40 ms more for the first page of each kind),
    and connect to the database."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation
    from wagtail import hooks

    hooks.search_for_hooks()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reverse("healthz")
    for name in project_templates():
        try:
            get_template(name)
        except TemplateSyntaxError:  # its pages answer 500 as before; the rest are served
            logger.exception("Template %s does not compile", name)
    connect()


def connect(database=connection):
    """Open the database connection the first request would (kept for CONN_MAX_AGE). A database
    that is down is then the first request's to report (a 503), not a reason to stop the worker.
    """
    with contextlib.suppress(DatabaseError):
        database.ensure_connection()


def project_templates():
    """Names of the templates in the project's own folders (templates/ and its apps'), not
    Wagtail's or Django's admin."""
    from django.apps import apps
    from django.conf import settings

    folders = [Path(settings.BASE_DIR) / "templates"] + [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).parent == Path(settings.BASE_DIR)
    ]
    return sorted(
        str(path.relative_to(folder))
        for folder in folders
        for path in folder.rglob("*")
        if path.suffix in {".html", ".xml", ".txt"}
    )


def freeze():
    """Collect once, move everything alive into the permanent generation, stop the automatic
    collector (collect_between_requests takes its place)."""
    gc.collect()
    gc.freeze()
    gc.disable()


def collect_between_requests():
    """Called after each response: collects what requests left, generation by generation (see
    the module's docstring). The first response freezes again: its request loaded lazily what
    warm_up cannot know about (templates, translation catalogues, the database connection)."""
    global _served
    _served += 1
    if _served == 1 or _served % FREEZE_EVERY == 0:
        freeze()
    elif _served % MIDDLE_EVERY == 0:
        gc.collect(1)
    else:
        gc.collect(0)
