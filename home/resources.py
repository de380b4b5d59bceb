"""One place per content type: what the API, change tracking, cache invalidation and front-cache
purge need to know about it, declared once beside its API resource.

    @resource("meetings", basename="meeting", purge_paths=("/api/v1/meetings/calendar.ics",))
    class MeetingViewSet(PageViewSet):
        model = MeetingPage

That single line makes the model
- an API resource (/api/v1/meetings/, cms/urls.py builds its router from here);
- tracked (home/signals.py): ContentChange rows for `created`/`modified`, tombstones for
  `modified_since`, whenever the model is translatable (so every object has a stable id);
- invalidating: home/cache/receivers.py moves the response cache's content version on every
  save, delete, publish, unpublish and move of a tracked model (and of pages, snippets…);
- purged from front caches (home/purge.py): its list and detail URLs, plus `purge_paths`.

Forgetting the decorator and registering a viewset in a router by hand is caught by a test
(tests/test_resources_registry.py). docs/adding-a-content-type.md lists every step.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from wagtail.models import TranslatableMixin

_registry = {}  # prefix -> Resource, in declaration order
_discovered = False


@dataclass(frozen=True)
class Resource:
    prefix: str  # /api/v1/<prefix>/
    basename: str  # URL names <basename>-list and <basename>-detail
    viewset: type
    # Change tracking. None: yes when the model is translatable (the API's ids are translation
    # keys). False is a decision to write down, with its reason, beside the declaration.
    track: bool | None = None
    # Models served inside this resource's objects rather than on their own (a priority inside
    # the Concept's tree): their changes are this resource's changes.
    served_inside: tuple = ()
    # Further API paths that show this resource's objects (the calendar of meetings).
    purge_paths: tuple = field(default=())

    @property
    def model(self):
        return self.viewset.model

    @property
    def tracked(self):
        if self.track is not None:
            return self.track
        return issubclass(self.model, TranslatableMixin)

    def list_path(self):
        return f"/api/v1/{self.prefix}/"

    def detail_path(self, translation_key):
        return f"/api/v1/{self.prefix}/{translation_key}/"


def resource(prefix, *, basename, track=None, served_inside=(), purge_paths=()):
    """Class decorator of an API viewset: declares its resource (see the module docstring)."""

    def declare(viewset):
        if prefix in _registry and _registry[prefix].viewset is not viewset:
            raise ValueError(f"Two API resources named {prefix!r}")
        _registry[prefix] = Resource(
            prefix, basename, viewset, track, tuple(served_inside), tuple(purge_paths)
        )
        return viewset

    return declare


def discover():
    """Import the `api` module of every app of this project (home's are home.api.views and
    home.api.pages), where resources are declared. Called from home's AppConfig.ready, when every
    model is loaded."""
    global _discovered
    if _discovered:
        return
    import_module("home.api.views")
    import_module("home.api.pages")
    for config in apps.get_app_configs():
        if config.name == "home" or Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # home's are above; third-party apps declare none
        try:
            import_module(f"{config.name}.api")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api":
                raise
    _discovered = True


def resources():
    discover()
    return list(_registry.values())


def tracked_models():
    """Models whose changes and removals are recorded (ContentChange, tombstones)."""
    return [r.model for r in resources() if r.tracked]


def resource_of_model(model):
    """The resource that serves `model`'s objects (or shows them inside its own), or None.
    The most specific declaration wins: /pages/ (model Page) serves only what has no resource."""
    found = None
    for candidate in resources():
        if model is candidate.model or model in candidate.served_inside:
            return candidate
        if issubclass(model, candidate.model) and found is None:
            found = candidate
    return found


def register_all(router):
    for declared in resources():
        router.register(declared.prefix, declared.viewset, basename=declared.basename)
    return router


class _Derived(Mapping):
    """A read-only mapping worked out from the declarations on first use (they are complete only
    once every app's api module is imported)."""

    def build(self):
        raise NotImplementedError

    @property
    def data(self):
        if "_data" not in self.__dict__:
            self._data = self.build()
        return self._data

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)


class LabelsOfResources(_Derived):
    """{model label: resource prefix} of what is published on its own (pages and snippets): the
    objects of webhooks, search and preview. Inline rows (a recommendation's measures) are
    published with their page; the pages resource serves `page_types`."""

    def __init__(self, page_types):
        self.page_types = page_types

    def build(self):
        from wagtail.models import Page

        labels = {}
        for declared in resources():
            if declared.model is Page:
                labels.update(dict.fromkeys(self.page_types, declared.prefix))
                continue
            if not declared.tracked or _inline_row(declared.model):
                continue
            for model in (declared.model, *declared.served_inside):
                labels[model._meta.label_lower] = declared.prefix
        return labels


class UrlNames(_Derived):
    """{resource prefix: URL name base} (reverse(f"{name}-detail"))."""

    def build(self):
        return {declared.prefix: declared.basename for declared in resources()}


def _inline_row(model):
    from modelcluster.fields import ParentalKey

    return any(isinstance(f, ParentalKey) for f in model._meta.concrete_fields)
