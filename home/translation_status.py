"""Translation status of content objects per language, shared by the admin report and the API.

Statuses: ``up_to_date``, ``outdated``, ``in_progress``, ``missing`` (the source language is
always ``up_to_date`` and flagged ``source``). Computed in bulk: a fixed number of queries for any
number of objects.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Page

UP_TO_DATE = "up_to_date"
OUTDATED = "outdated"
IN_PROGRESS = "in_progress"
MISSING = "missing"
STATUSES = (UP_TO_DATE, OUTDATED, IN_PROGRESS, MISSING)


@dataclass(frozen=True)
class TranslationState:
    language: str
    status: str
    instance: object | None = None  # the object in that language, where it exists
    source: bool = False


def content_languages():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def translation_states(model, translation_keys):
    """{translation_key: {language: TranslationState}} for objects of a translatable `model`."""
    keys = set(translation_keys)
    found = defaultdict(dict)
    for obj in model.objects.filter(translation_key__in=keys).select_related("locale"):
        found[obj.translation_key][obj.locale.language_code] = obj
    source_language = settings.LANGUAGE_CODE
    return {
        key: {
            language: _state(language, found[key].get(language), language == source_language)
            for language in content_languages()
        }
        for key in keys
    }


def _state(language, instance, is_source):
    if instance is None:
        return TranslationState(language, MISSING)
    if is_source:
        return TranslationState(language, UP_TO_DATE, instance, source=True)
    if isinstance(instance, Page) and not instance.live:
        return TranslationState(language, IN_PROGRESS, instance)
    return TranslationState(language, UP_TO_DATE, instance)
