"""Translators translate; editors manage the tree.

Wagtail asks one object what a user may do with a page: the `PagePermissionTester` returned by
`Page.permissions_for_user`, which Wagtail documents as overridable per page class. Every admin
view (edit, publish, delete, move, copy, unpublish, add child, reorder, bulk actions), every
listing/header button and wagtail-localize's translation editor consult it, so one subclass
makes the UI and the views agree. What Wagtail and wagtail-localize check with `can_edit()`
alone (converting an alias, stopping a synced translation) asks the two extra questions below,
through `wagtail_hooks` and `access.TranslatorLanguageMiddleware`.

Translators get "change" on the trees of their language only (see `roles`); Wagtail would read
that as a licence to delete and move drafts and to copy pages, hence the overrides.
"""

from django.conf import settings
from wagtail.models import PagePermissionTester

from .access import is_translator


class ProjectPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        self.is_translator = is_translator(user)

    def _manages_tree(self, allowed):
        """Tree management (structure, life cycle) is for editors: translators never."""
        return allowed and not self.is_translator

    def can_publish(self):
        if self.is_translator:
            # Their "change" permission covers the trees of their language only.
            return settings.TRANSLATORS_CAN_PUBLISH and self.can_edit() and not self.page_is_root
        return super().can_publish()

    def can_add_subpage(self):
        return self._manages_tree(super().can_add_subpage())

    def can_publish_subpage(self):
        return self._manages_tree(super().can_publish_subpage())

    def can_delete(self, ignore_bulk=False):
        return self._manages_tree(super().can_delete(ignore_bulk=ignore_bulk))

    def can_move(self):
        return self._manages_tree(super().can_move())

    def can_copy(self):
        return self._manages_tree(super().can_copy())

    def can_unpublish(self):
        return self._manages_tree(super().can_unpublish())

    def can_reorder_children(self):
        return self._manages_tree(super().can_reorder_children())

    def can_set_view_restrictions(self):
        return self._manages_tree(super().can_set_view_restrictions())

    # Not in Wagtail: its views check can_edit() for these.
    def can_convert_alias(self):
        """Turn an alias into an ordinary page, or a translation back into an alias."""
        return self._manages_tree(self.can_edit())

    def can_stop_sync(self):
        """wagtail-localize's "Stop Synced translation" (and starting it again)."""
        return self._manages_tree(self.can_edit())


class TranslatorAwarePermissionsMixin:
    """For every page model of the project (tests/i18n/test_permissions.py checks they all
    have it)."""

    def permissions_for_user(self, user):
        return ProjectPagePermissionTester(user, self)
