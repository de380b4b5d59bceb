"""wagtail-localize's background backend (WAGTAILLOCALIZE_JOBS), imported while
wagtail_localize.models loads: it imports nothing from the app until a job is queued."""


class LocalizeJobBackend:
    """WAGTAILLOCALIZE_JOBS backend: wagtail-localize hands the subtree of "Translate this page"
    to its background backend (by default it runs in the request, 70 s for the bench Concept).
    Here it becomes one translation job per language, shown under *Překladové úlohy*."""

    def __init__(self, options):
        pass

    def enqueue(self, func, args, kwargs):
        from wagtail_localize.operations import translate_page_subtree

        from .background import create_job, submit
        from .models import TranslationJob

        if func is not translate_page_subtree:
            return func(*args, **kwargs)
        page_id, locales, _components, user = args
        for locale in locales:
            job = create_job(
                TranslationJob.Kind.START,
                user=user,
                locale=locale,
                params={"page": page_id, "subtree": True},
            )
            submit(job)
