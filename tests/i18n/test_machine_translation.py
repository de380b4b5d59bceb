"""Machine translation is configuration only: DeepL when DEEPL_API_KEY is set, else none."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

PROBE = (
    "import json, cms.settings.base as s;"
    "print(json.dumps(getattr(s, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)))"
)


def settings_with(env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


class MachineTranslatorSettingTests(SimpleTestCase):
    def test_deepl_only_when_a_key_is_set(self):
        self.assertIsNone(settings_with({"DEEPL_API_KEY": ""}))
        config = settings_with({"DEEPL_API_KEY": "secret:fx"})
        self.assertEqual(
            config["CLASS"], "wagtail_localize.machine_translators.deepl.DeepLTranslator"
        )
        self.assertEqual(config["OPTIONS"], {"AUTH_KEY": "secret:fx"})
