"""Indexes on Wagtail's page table for the questions every uncached reader answer asks first.

Wagtail's own indexes don't cover them, so each was a scan of the whole page table (a few ms at
10,000 pages, on every answer the response cache has not kept):
- the latest publication (the API's sync cursor, pages' Last-Modified): MAX(last_published_at);
- the next expiry of a live page (the cache's time bucket);
- the pages that hide their subtree (unpublished, expired, restricted), only ever parents.
Partial indexes are plain SQL on both PostgreSQL and SQLite."""

from django.db import migrations

INDEXES = {
    "page_last_published": "(last_published_at)",
    "page_live_expiry": "(expire_at) WHERE live AND expire_at IS NOT NULL",
    "page_parents": "(path) WHERE numchild > 0",
}


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0011_translation_job_heartbeat"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {columns}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
