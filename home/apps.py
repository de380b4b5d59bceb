from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, post_save, pre_save


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Weby a aktéři"

    def ready(self):
        from . import signals

        signals.connect()

        from home.cache import receivers as cache_receivers

        cache_receivers.connect()  # every change a reader sees moves the content version

        from home.search.folding import add_folded_fields

        add_folded_fields()  # diacritics-insensitive search (Libus finds Praha-Libuš)

        from wagtail.signals import copy_for_translation_done, page_published, published
        from wagtail_localize.models import StringTranslation

        from home.translation import jobs, slugs, url_paths

        post_migrate.connect(_sync_locales_after_migrate, dispatch_uid="home.sync_locales")
        post_save.connect(_grant_on_new_site_root, dispatch_uid="home.grant_tree_permissions")
        copy_for_translation_done.connect(jobs.convert_alias_parent, dispatch_uid="home.alias")
        # Before the sync: translations synced from this page are published under its new path.
        page_published.connect(url_paths.repair_on_publish, dispatch_uid="home.url_paths")
        page_published.connect(jobs.sync_on_publish, dispatch_uid="home.sync_on_publish")
        published.connect(jobs.sync_on_publish, dispatch_uid="home.sync_snippet_on_publish")

        # wagtail-localize's own "Translate" views build a TranslationCreator from this module
        # global at call time; they get the one that leaves published snippet translations live.
        from wagtail_localize import operations

        operations.TranslationCreator = jobs.DraftSafeTranslationCreator

        pre_save.connect(
            slugs.transliterate_slug_translation,
            sender=StringTranslation,
            dispatch_uid="home.ascii_slug_translations",
        )


def _sync_locales_after_migrate(sender, **kwargs):
    # Once, after the last app with models (the signal skips the others): every app's
    # permissions exist by then.
    last = [c for c in apps.get_app_configs() if c.models_module is not None][-1]
    if sender.label != last.label:
        return
    from home.translation.roles import sync_locales

    sync_locales()


def _grant_on_new_site_root(sender, instance, created, raw=False, **kwargs):
    """A new language tree (a HomePage translated into a language for the first time) gets the
    editors' and that language's translators' page permissions."""
    from wagtail.models import Page

    if not created or raw or not isinstance(instance, Page) or instance.depth != 2:
        return
    from home.translation.roles import grant_tree_permissions

    grant_tree_permissions(instance)
