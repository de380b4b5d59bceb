"""Record changes and removals of API objects in ContentChange (see its docstring), and tell the
front caches (home.purge) what changed (the response cache's version moves in home/cache/).

Which models are tracked is declared with their API resource (home/resources.py)."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page
from wagtail.signals import page_published, page_unpublished, unpublished

from . import purge, resources


def record_change(instance, deleted=False, now=None):
    from .models import ContentChange

    now = now or timezone.now()
    change, created = ContentChange.objects.get_or_create(
        model=instance._meta.label_lower,
        translation_key=instance.translation_key,
        language=instance.locale.language_code,
        defaults={"created": now, "modified": now, "deleted": deleted},
    )
    if not created:
        change.modified = now
        change.deleted = deleted
        change.save(update_fields=["modified", "deleted"])


def record_changes(instances):
    """`on_save` for many rows written in bulk (the inline children of a translation job's
    draft pages, which send no post_save): one upsert for all of them."""
    from wagtail.models import Locale

    from .models import ContentChange

    tracked = set(resources.tracked_models())
    rows = [
        i
        for i in instances
        if type(i) in tracked
        and not isinstance(i, Page)
        and not (isinstance(i, DraftStateMixin) and not i.live)
    ]
    if not rows:
        return
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    now = timezone.now()
    changes = {
        (i._meta.label_lower, i.translation_key, languages[i.locale_id]): ContentChange(
            model=i._meta.label_lower,
            translation_key=i.translation_key,
            language=languages[i.locale_id],
            created=now,
            modified=now,
            deleted=False,
        )
        for i in rows
    }
    ContentChange.objects.bulk_create(
        changes.values(),
        update_conflicts=True,
        unique_fields=["model", "translation_key", "language"],
        update_fields=["modified", "deleted"],
    )


def record_container_change(page):
    """A page that leaves changes what its tracked ancestors show (a platform's next meeting,
    the Concept's tree), though none of them was saved: their `modified` moves too, so a client
    syncing with modified_since gets them again. Their removal state is left as it is."""
    from .models import ContentChange

    now = timezone.now()
    tracked = set(resources.tracked_models())
    for ancestor in page.get_ancestors().specific():
        if type(ancestor) not in tracked:
            continue
        updated = ContentChange.objects.filter(
            model=ancestor._meta.label_lower,
            translation_key=ancestor.translation_key,
            language=ancestor.locale.language_code,
        ).update(modified=now)
        if not updated:
            record_change(ancestor, now=now)


def on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or isinstance(instance, Page):
        return  # pages carry their own publishing times
    if isinstance(instance, DraftStateMixin) and not (instance.live and update_fields is None):
        # A draft (a new translation, a draft saved on a live snippet: Wagtail then updates only
        # the revision fields) changes nothing readers see; a live row saved whole does.
        return
    record_change(instance)


def record_subtree_change(page, deleted):
    """A page that leaves (or comes back) takes what lies below it along: the API hides a
    removed page's subtree. Its tracked descendants and their inline rows (a recommendation's
    measures) get a tombstone, or a change when the page is back, so a synced copy follows."""
    now = timezone.now()
    tracked = resources.tracked_models()
    subtree = Page.objects.filter(path__startswith=page.path, depth__gte=page.depth)
    for descendant in subtree.exclude(pk=page.pk).live().specific():
        if type(descendant) in tracked:
            record_change(descendant, deleted=deleted, now=now)
    for model in tracked:
        for field in model._meta.concrete_fields:
            if field.many_to_one and issubclass(field.related_model, Page):
                for row in model.objects.filter(**{f"{field.name}__in": subtree}):
                    record_change(row, deleted=deleted, now=now)


def on_remove(sender, instance, **kwargs):
    record_change(instance, deleted=True)
    if isinstance(instance, Page):
        record_subtree_change(instance, deleted=True)
        record_container_change(instance)


def on_page_published(sender, instance, **kwargs):
    """Back after a removal: what lies below it is back too (see record_subtree_change)."""
    from .models import ContentChange

    removed = ContentChange.objects.filter(
        model=instance._meta.label_lower,
        translation_key=instance.translation_key,
        language=instance.locale.language_code,
        deleted=True,
    )
    if removed.update(deleted=False):
        record_subtree_change(instance, deleted=False)


def connect():
    resources.discover()
    for model in resources.tracked_models():
        uid = f"content-change-{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(on_remove, sender=model, dispatch_uid=f"{uid}-delete")
        if issubclass(model, Page):
            page_unpublished.connect(on_remove, sender=model, dispatch_uid=f"{uid}-unpublish")
            page_published.connect(on_page_published, sender=model, dispatch_uid=f"{uid}-publish")
        elif issubclass(model, DraftStateMixin):
            unpublished.connect(on_remove, sender=model, dispatch_uid=f"{uid}-unpublish")
    purge.connect()
