"""ASCII slugs in every language.

Translators (in the editor or in a PO file from an agency) write a slug as text: "Síťování
anglicky", "Регіональна платформа". wagtail-localize then runs Django's `slugify`, which keeps
Czech letters without their accents but drops Cyrillic altogether (and an empty slug is replaced
by one made from the translated title: "en-…", "ук-…"). Here the translated slug is transliterated
first (Wagtail's own `string_to_ascii`, i.e. anyascii), so every slug is readable ASCII and
addresses are never percent-encoded (WAGTAIL_ALLOW_UNICODE_SLUGS is off).
"""

from django import forms
from django.conf import settings
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug, string_to_ascii

SLUG_CONTEXT = "slug"  # wagtail-localize's context path of a page's slug segment
MAX_LENGTH = 255  # Page.slug


def ascii_slug(text):
    """'Регіональна платформа' -> 'regionalna-platforma'; '' when nothing is left."""
    return slugify(string_to_ascii(str(text or "")))[:MAX_LENGTH].strip("-")


def available_slug(parent, text, fallback, page=None):
    """An ASCII slug for `text` that no sibling under `parent` uses (Wagtail's numbered suffix:
    -1, -2…). `fallback` (e.g. the Czech slug) is used when `text` has nothing transliterable."""
    slug = ascii_slug(text) or ascii_slug(fallback) or "page"
    return find_available_slug(parent, slug, ignore_page_id=page.pk if page else None)


def transliterate_slug_translation(sender, instance, raw=False, **kwargs):
    """`pre_save` of wagtail-localize's StringTranslation: store a translated slug as an ASCII
    slug, whatever the translator typed. An entry that transliterates to nothing ("???") keeps
    the source slug, so the page always gets a valid one."""
    if raw or instance.context.path != SLUG_CONTEXT:
        return
    instance.data = ascii_slug(instance.data) or ascii_slug(instance.translation_of.data)


class AsciiSlugFormField(forms.SlugField):
    """The admin's slug field: what an editor types ("setkání") is transliterated before it is
    validated, so the form's uniqueness check sees the slug that will be saved. Wagtail's admin
    JS already does this when it fills the slug from the title; this covers a typed slug."""

    def __init__(self, *args, allow_unicode=None, **kwargs):
        # Page.slug passes allow_unicode=True whatever the setting says; the setting decides.
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        super().__init__(*args, allow_unicode=allow_unicode, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and not self.allow_unicode:
            return ascii_slug(value) or value  # nothing transliterable: the validator says why
        return value
