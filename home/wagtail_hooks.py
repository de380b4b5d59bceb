from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation, Person


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Aktéři")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "short_name", "category"]
    list_filter = ["category"]
    search_fields = ["name", "short_name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("Kontaktní osoby")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "role", "email", "organisation"]
    search_fields = ["name", "role"]


register_snippet(OrganisationViewSet)
register_snippet(PersonViewSet)
