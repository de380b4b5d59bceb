"""Translation workflow on top of wagtail-localize: locales and translator groups, starting and
syncing translations, PO export/import, ASCII slugs in every language, url_paths that follow the
tree, and the per-locale permission checks."""
