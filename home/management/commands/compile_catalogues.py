"""Compile the gettext catalogues (locale/*/LC_MESSAGES/*.po → .mo) with polib, so the build does
not need GNU gettext's msgfmt. Only translated, non-fuzzy entries are compiled (as msgfmt)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po catalogues into .mo files (no msgfmt needed)."

    def handle(self, *args, **options):
        count = 0
        for directory in settings.LOCALE_PATHS:
            for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {mo_path}")
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {count} catalogue(s).")
