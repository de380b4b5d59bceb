"""Objects read as plain values, for lists of hundreds: building model instances (a Page is a
ClusterableModel) costs more than reading their rows. Only for reading: a Row is not saved."""

from types import SimpleNamespace


class Row(SimpleNamespace):
    """One object's columns as attributes. With a `language` column it also has
    `locale.language_code`, as the API's `reference` and SiteMap.urls read it."""

    @property
    def locale(self):
        return SimpleNamespace(language_code=self.language)


def rows(queryset, *fields, **expressions):
    """[Row] of only these columns (QuerySet.values), in the queryset's order."""
    return [Row(**values) for values in queryset.values(*fields, **expressions)]
