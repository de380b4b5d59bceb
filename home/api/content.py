"""What the API may show (live, public content only) and which language of it to serve."""

from django.utils import timezone

from home.localization import outside_hidden_subtrees, past_expiry, request_snapshot

__all__ = ["request_snapshot", "visible_pages"]


def visible_pages(model, now=None):
    """Pages of `model` a reader may see: live, in schedule, not an alias copy, and with no
    view restriction and no unpublished or expired page on or above them (the reader rule's
    expiry and hidden subtrees, home.localization)."""
    now = now or timezone.now()
    queryset = (
        model.objects.filter(live=True, alias_of__isnull=True)
        .exclude(past_expiry(now))
        .exclude(go_live_at__gt=now)
    )
    return outside_hidden_subtrees(queryset, now)
