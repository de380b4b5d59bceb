"""What the API may show (live, public content only) and which language of it to serve."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def visible_pages(model, now=None):
    """Pages of `model` a reader may see: live, in schedule, not an alias copy, and with no
    view restriction and no unpublished or expired page on or above them."""
    now = now or timezone.now()
    hidden = Page.objects.filter(
        Q(live=False, numchild__gt=0)
        | Q(expire_at__lte=now)
        | Q(pk__in=PageViewRestriction.objects.values("page_id"))
    )
    # An ancestor (or the page itself) is hidden when its path is a prefix of the page's path.
    hidden_above = hidden.filter(path=Substr(OuterRef("path"), 1, Length("path")))
    return (
        model.objects.filter(live=True, alias_of__isnull=True)
        .exclude(expire_at__lte=now)
        .exclude(go_live_at__gt=now)
        .exclude(Exists(hidden_above))
    )


def in_best_language(visible, chain):
    """One instance per translation_key: the first language of `chain` it is visible in.

    Plain SQL (no per-object queries): an instance in the n-th language qualifies only if the
    object is visible in none of the languages before it.
    """
    condition = Q()
    for index, language in enumerate(chain):
        here = Q(locale__language_code=language)
        if index:
            earlier = visible.filter(locale__language_code__in=chain[:index])
            here &= ~Q(translation_key__in=earlier.values("translation_key"))
        condition |= here
    return visible.filter(condition)


def best_instances(queryset, keys, chain):
    """{translation_key: instance in the best language of `chain`} for the given keys."""
    found = {}
    for obj in queryset.filter(translation_key__in=set(keys), locale__language_code__in=chain):
        current = found.get(obj.translation_key)
        if current is None or rank(obj, chain) < rank(current, chain):
            found[obj.translation_key] = obj
    return found


def rank(obj, chain):
    return chain.index(obj.locale.language_code)
