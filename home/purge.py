"""Front-cache purge (wagtail.contrib.frontend_cache, configured from FRONTEND_CACHE): when
content changes, the URLs that show it are purged from Varnish/nginx, Cloudflare or CloudFront.

What a change purges (README "Front-cache purge"):
- a page published, unpublished, deleted or moved: the page in every language (its translations'
  URLs, and each of them under every language prefix, where the reader routing serves a fallback),
  its aliases, every page above it up to its site's home (the platform, the platform overview,
  the Concept and priority that list it), the ICP pages showing its platform (and the meeting's
  address under them), the sitemap index and sections of its sites; for an unpublish, delete or
  move also every page below it (gone from, or moved away from, those addresses); and on every
  site's host the API: the list and the detail of its resource and of each resource above it,
  plus the resource's further paths (the calendar);
- a snippet (venue, organisation, person) published, saved live, unpublished or deleted: its own
  API list and detail, every API list (they embed snippets), and the pages that refer to it
  (with what lists them, as above, and their API details). That work runs in the task runner.

A path is purged without its query string; the cache must drop every query variant of it (the
Varnish example in the README bans on the path). Only the sitemap's sections (?p=2, …) are also
purged one by one, for the caches that purge exact URLs. Nothing is computed when no front cache is
configured. The HTTP requests to the cache run in the task runner (django-tasks, Wagtail's
purge task), after the commit: a slow or unreachable purge endpoint never slows down, nor fails,
a publish.
"""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_delete
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
    unpublished,
)

from . import resources
from .routing import in_language
from .sitemap import section_paths

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# --- what a change shows up in ---------------------------------------------------------------
class _Urls:
    """The URLs to purge for some changes. Also the cache object of Wagtail's URL methods (they
    keep the site root paths on it: read once for all the pages)."""

    def __init__(self):
        self.urls = set()
        self.pages = set()  # pks whose own addresses are already in
        self.languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        self.sites = {site.root_url: site for site in Site.objects.select_related("root_page")}
        self.hosts = list(self.sites)

    def add_api(self, *paths):
        self.urls.update(f"{host}{path}" for host in self.hosts for path in paths)

    def add_page_addresses(self, pages, subpaths=()):
        """Each page at its own address under every language prefix (plus routable subpaths)."""
        for page in pages:
            self.pages.add(page.pk)
            url = page.get_full_url(self)
            if not url:
                continue
            for path in ("", *subpaths):
                for language in self.languages:
                    self.urls.add(in_language(url + path, language))

    def add_page(self, page, subtree=False):
        """`page` and everything that lists it (see the module docstring)."""
        versions = _versions([page.translation_key])
        above = list(page.get_ancestors().filter(depth__gte=2))
        above_versions = _versions([a.translation_key for a in above])
        self.add_page_addresses(versions + above_versions)
        for host in {self.root(v) for v in versions + above_versions} - {None}:
            self.add_sitemap(host)
        self.add_shared(page, versions, above_versions, subtree)
        for item in [page, *above]:
            declared = resources.resource_of_model(item.specific_class)
            if declared is None:
                continue
            if item.specific_class in declared.served_inside:
                continue  # shown inside the resource of a page above it, purged with that one
            self.add_api(declared.list_path(), declared.detail_path(item.translation_key))
            self.add_api(*declared.purge_paths)
        if subtree:
            for version in versions:
                below = Page.objects.descendant_of(version).exclude(pk__in=self.pages)
                self.add_page_addresses(below.specific(defer=True))

    def add_sitemap(self, host):
        """The sitemap index of the site at `host` and each of its sections (home/sitemap.py),
        with their query strings for caches that purge exact URLs. One section more than there
        are now: an unpublish has just shrunk the count, and the section that fell off the end
        may still be cached."""
        self.urls.add(f"{host}/sitemap.xml")
        site = self.sites.get(host)
        if site is not None:
            self.urls.update(f"{host}{path}" for path in section_paths(site, spare=1))

    def add_shared(self, page, versions, above_versions, subtree):
        """The pages on another site that show the platform this page is, or is under, and the
        meeting's address under them (for a removed platform: every meeting's)."""
        from platforms.models import MeetingPage, SharedPlatformPage

        keys = {v.translation_key for v in versions + above_versions}
        shared = list(SharedPlatformPage.objects.filter(platform__translation_key__in=keys))
        if not shared:
            return
        meetings = [v.pk for v in versions if issubclass(v.specific_class, MeetingPage)]
        if subtree:
            for version in versions:
                below = Page.objects.descendant_of(version).type(MeetingPage)
                meetings += below.values_list("pk", flat=True)
        subpaths = tuple(f"setkani/{pk}/" for pk in meetings)
        self.add_page_addresses(_versions([s.translation_key for s in shared]), subpaths)

    def root(self, page):
        url = page.get_full_url(self)
        if not url:
            return None
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def add_snippet(self, obj):
        declared = resources.resource_of_model(type(obj))
        if declared is not None:
            self.add_api(declared.detail_path(obj.translation_key))
        self.add_api(*(r.list_path() for r in resources.resources()))
        for page in _pages_referring_to(obj):
            self.add_page(page)

    def add_snippet_removed(self, obj):
        declared = resources.resource_of_model(type(obj))
        if declared is not None:
            self.add_api(declared.detail_path(obj.translation_key))
        self.add_api(*(r.list_path() for r in resources.resources()))


def _versions(keys):
    """Every page of these translation keys, and their aliases (one page on two sites)."""
    pages = list(Page.objects.filter(translation_key__in=keys).specific(defer=True))
    aliases = Page.objects.filter(alias_of__in=[p.pk for p in pages]).specific(defer=True)
    return pages + list(aliases)


def _pages_referring_to(obj):
    """Pages with a foreign key to any language version of `obj`, directly or from one of their
    inline rows (a platform's contacts, a recommendation's actors)."""
    model = type(obj)
    versions = list(model.objects.filter(translation_key=obj.translation_key).values_list("pk"))
    pks = [pk for (pk,) in versions]
    page_ids = set()
    for relation in model._meta.related_objects:
        if not relation.one_to_many:  # a foreign key to the snippet
            continue
        related = relation.related_model
        lookup = {f"{relation.field.name}__in": pks}
        if issubclass(related, Page):
            page_ids.update(related.objects.filter(**lookup).values_list("pk", flat=True))
            continue
        parent = _page_key(related)
        if parent is not None:
            page_ids.update(related.objects.filter(**lookup).values_list(parent, flat=True))
    return list(Page.objects.filter(pk__in=page_ids).live())


def _page_key(model):
    for field in model._meta.concrete_fields:
        if field.many_to_one and issubclass(field.related_model, Page):
            return field.attname
    return None


# --- sending, after the commit ---------------------------------------------------------------
def send(urls):
    """Queue Wagtail's purge task (django-tasks) for `urls`."""
    if urls:
        batch = PurgeBatch()
        batch.add_urls(sorted(urls))
        batch.purge()


_pending = threading.local()  # per thread: a transaction belongs to one thread's connection


class _Pending:
    """URLs collected during one transaction, sent once after it commits. A delete of a
    subtree sends a signal per page: the pages already covered are not computed again."""

    def __init__(self):
        self.urls = _Urls()
        transaction.on_commit(self.flush)

    def flush(self):
        if current() is self:
            _pending.batch = None
        send(self.urls.urls)


def current():
    """The batch of the transaction under way, or None. A rolled-back transaction drops its
    on_commit callbacks, and with them its batch."""
    batch = getattr(_pending, "batch", None)
    if batch is None or not connection.in_atomic_block:
        return None
    if not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        return None
    return batch


def _collect(add):
    try:
        if not connection.in_atomic_block:  # autocommit: the change is committed already
            urls = _Urls()
            add(urls)
            send(urls.urls)
            return
        batch = current()
        if batch is None:
            batch = _pending.batch = _Pending()
        add(batch.urls)
    except Exception:  # a purge must never fail the publish it follows
        logger.exception("Could not work out what to purge")


# --- events ------------------------------------------------------------------------------------
def page_changed(page, subtree=False):
    if enabled():
        _collect(lambda urls: urls.add_page(page, subtree=subtree))


def on_page_published(sender, instance, **kwargs):
    page_changed(instance)


def on_page_removed(sender, instance, **kwargs):
    page_changed(instance, subtree=True)


def on_page_delete(sender, instance, **kwargs):
    if not instance.live:
        return  # a draft never was in a cache
    batch = current()
    if batch is not None and instance.pk in batch.urls.pages:
        return  # below a page deleted in the same transaction: already covered
    page_changed(instance, subtree=True)


def on_page_moved_away(sender, instance, **kwargs):
    """Before a move: the old addresses and the listings it leaves."""
    page_changed(instance, subtree=True)


def on_page_moved_in(sender, instance, **kwargs):
    """After a move: the new addresses and the listings it joins (url_path read again)."""
    page_changed(Page.objects.get(pk=instance.pk).specific_deferred, subtree=True)


@task()
def purge_snippet(label, pk):
    """The pages and API lists showing a snippet (run by the task runner: it can be many)."""
    from django.apps import apps

    obj = apps.get_model(label).objects.filter(pk=pk).first()
    if obj is not None and enabled():
        urls = _Urls()
        urls.add_snippet(obj)
        send(urls.urls)


def snippet_changed(instance, deleted=False):
    if not enabled():
        return
    if deleted:  # gone before the task could look: its own API addresses only
        _collect(lambda urls: urls.add_snippet_removed(instance))
        return
    label, pk = instance._meta.label_lower, instance.pk
    transaction.on_commit(lambda: purge_snippet.enqueue(label, pk))


def on_snippet_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    draft = isinstance(instance, DraftStateMixin) and not (instance.live and update_fields is None)
    if raw or draft:
        return  # a draft changes nothing readers see (see home.signals.on_save)
    snippet_changed(instance)


def connect():
    for model in _page_models():
        uid = f"purge-{model._meta.label_lower}"
        page_published.connect(on_page_published, sender=model, dispatch_uid=f"{uid}-publish")
        page_unpublished.connect(on_page_removed, sender=model, dispatch_uid=f"{uid}-unpublish")
        pre_delete.connect(on_page_delete, sender=model, dispatch_uid=f"{uid}-delete")
    pre_page_move.connect(on_page_moved_away, dispatch_uid="purge-pre-move")
    post_page_move.connect(on_page_moved_in, dispatch_uid="purge-post-move")
    for model in resources.tracked_models():
        if issubclass(model, Page) or _page_key(model) is not None:
            continue  # pages, and inline rows (purged with their page)
        uid = f"purge-{model._meta.label_lower}"
        post_save.connect(on_snippet_saved, sender=model, dispatch_uid=f"{uid}-save")
        unpublished.connect(
            lambda sender, instance, **kw: snippet_changed(instance),
            sender=model,
            dispatch_uid=f"{uid}-unpublish",
            weak=False,
        )
        pre_delete.connect(
            lambda sender, instance, **kw: snippet_changed(instance, deleted=True),
            sender=model,
            dispatch_uid=f"{uid}-delete",
            weak=False,
        )


def _page_models():
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Page)]
