"""Diacritics-insensitive matching: `Libus` finds Praha-Libuš.

Every indexed model gets, next to each of its search fields, a folded copy (accents removed,
lower case): the index holds both "Libuš" and "libus", and queries are folded too. It works the
same on PostgreSQL full text (which keeps accents) and SQLite FTS5, without a database extension
(`unaccent` would need superuser rights on PostgreSQL). Existing content is folded when it is
next saved, or by `manage.py update_index`."""

import unicodedata

from django.utils.html import strip_tags
from wagtail.search import index


def fold(text):
    """Lower case without diacritics ("Praha-Libuš" → "praha-libus")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class FoldedSearchField(index.SearchField):
    """A search field's text, folded (HTML of rich text stripped first)."""

    def get_value(self, obj):
        value = super().get_value(obj)
        if value is None:
            return None
        return fold(strip_tags(str(value)))


def add_folded_fields():
    """Called once from HomeConfig.ready(): a folded copy of every search field (and the
    primary key as a filter field)."""
    for model in index.get_indexed_models():
        fields = list(model.search_fields)
        if any(isinstance(field, FoldedSearchField) for field in fields):
            continue
        folded = [
            FoldedSearchField(field.field_name)
            for field in fields
            if type(field) is index.SearchField and isinstance(field.field_name, str)
        ]
        # The site search narrows by primary key (the visibility rules are a subquery on it).
        if not any(isinstance(f, index.FilterField) and f.field_name == "id" for f in fields):
            folded.append(index.FilterField("id"))
        model.search_fields = [*fields, *folded]
