"""What the API may show (live, public content only) and which language of it to serve."""

from django.utils import timezone

from home.localization import outside_hidden_subtrees, readable, request_snapshot

__all__ = ["request_snapshot", "visible_pages"]


def visible_pages(model, now=None):
    """Pages of `model` a reader may see: the reader rule (live, not expired), in schedule, no
    alias copy at all (the API serves each object once, by its translation key), and with no
    unpublished, expired or view-restricted page on or above them."""
    now = now or timezone.now()
    queryset = readable(model.objects.filter(alias_of__isnull=True), now)
    return outside_hidden_subtrees(queryset.exclude(go_live_at__gt=now), now)
