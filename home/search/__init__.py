"""Search: the sites' own search page (/<language>/search/?q=) and /api/v1/search/?q=, on
Wagtail search (PostgreSQL full text; the database backend on SQLite), diacritics-insensitive.
Only live, public content is found: the same rules as every other channel (home.localization,
home.api.content.visible_pages)."""
