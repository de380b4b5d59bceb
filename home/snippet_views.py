"""Admin listings of translatable snippets (actors, people, venues): Wagtail's own language column
and language filter, with the Czech source shown unless another language (or "all") is chosen."""

from django.conf import settings
from wagtail.admin.ui.tables import LocaleColumn
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet


class SourceLanguageIndexView(IndexView):
    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "locale" not in kwargs["data"]:  # no choice made yet (choosing "all" sends locale=)
            data = kwargs["data"].copy()
            data["locale"] = settings.LANGUAGE_CODE
            kwargs["data"] = data
        return kwargs


class TranslatableSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing shows the language next to the first column."""

    index_view_class = SourceLanguageIndexView

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, *rest = self.list_display
        self.list_display = [first, LocaleColumn(), *rest]
