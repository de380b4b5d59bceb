"""Snippets with draft state (actors, people, venues): how rows that existed before the snippets
had draft state become published ones.

A snippet translation starts as a draft (wagtail-localize creates it with the Czech text); what
readers may see of it is decided by home.localization (`readable`, `is_readable`).
"""

from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields


# --- data migrations -----------------------------------------------------------------------------
def publish_existing_rows(apps, model_labels):
    """Data migration: every row of the given snippet models (Czech and translations) was public
    before draft state existed, so it stays live. Each gets its publishing times from the API's
    change record (else now) and one initial revision, so the admin shows a history and a live
    version to compare drafts with. Idempotent: rows that have a revision are left alone."""
    ContentChange = apps.get_model("home", "ContentChange")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    now = timezone.now()
    for label in model_labels:
        model = apps.get_model(label)
        content_type = ContentType.objects.get_for_model(model)
        changes = {
            (c.translation_key, c.language): c
            for c in ContentChange.objects.filter(model=label.lower(), deleted=False)
        }
        for obj in model.objects.filter(latest_revision__isnull=True).select_related("locale"):
            change = changes.get((obj.translation_key, obj.locale.language_code))
            obj.live = True
            obj.has_unpublished_changes = False
            obj.first_published_at = change.created if change else now
            obj.last_published_at = change.modified if change else now
            revision = Revision.objects.create(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(obj.pk),
                created_at=obj.last_published_at,
                object_str=obj.name,
                content=get_serializable_data_for_fields(obj),
            )
            obj.latest_revision = obj.live_revision = revision
            obj.save(
                update_fields=[
                    "live",
                    "has_unpublished_changes",
                    "first_published_at",
                    "last_published_at",
                    "latest_revision",
                    "live_revision",
                ]
            )


def forget_revisions(apps, model_labels):
    """Reverse of `publish_existing_rows`: the revisions of these models go with the columns."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    for label in model_labels:
        content_type = ContentType.objects.get_for_model(apps.get_model(label))
        Revision.objects.filter(base_content_type=content_type).delete()
