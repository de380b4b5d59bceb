from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from home.snippet_views import TranslatableSnippetViewSet

from .models import Venue


class VenueViewSet(TranslatableSnippetViewSet):
    model = Venue
    icon = "site"
    menu_label = _("Místa konání")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "room", "address"]
    search_fields = ["name", "address"]


register_snippet(VenueViewSet)
