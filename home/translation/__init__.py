"""Translation workflow on top of wagtail-localize: locales and translator groups, starting and
syncing translations, PO export/import, and the per-locale permission checks."""
