"""The production recipe's files agree with each other and with the settings: one web command,
one worker command, and every environment variable the settings read is documented.
(`make deploy-check` runs the recipe itself; these catch drift without a server.)"""

import re
import shlex
import unittest
from pathlib import Path

import yaml
from django.db import connection
from django.test import SimpleTestCase, TestCase

ROOT = Path(__file__).resolve().parent.parent
# os.environ.get("X"), os.environ["X"], env_bool("X"), env_list("X")
ENV_READ = re.compile(r"""(?:environ\.get\(|environ\[|env_bool\(|env_list\()\s*["']([A-Z_]+)["']""")


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def unit_command(name):
    unit = (ROOT / "deploy" / "systemd" / name).read_text()
    [command] = re.findall(r"^ExecStart=(.+)$", unit, re.MULTILINE)
    program, *arguments = shlex.split(command)
    return [Path(program).name, *arguments]  # the venv's path differs, the command does not


def documented_variables():
    text = (ROOT / "deploy" / "env.example").read_text()
    return set(re.findall(r"^#?([A-Z_]+)=", text, re.MULTILINE))


class DeployRecipeTests(SimpleTestCase):
    def test_env_example_lists_every_variable_the_settings_and_gunicorn_read(self):
        sources = [*(ROOT / "cms" / "settings").glob("*.py"), ROOT / "deploy" / "gunicorn.conf.py"]
        read = {name for path in sources for name in ENV_READ.findall(path.read_text())}
        self.assertIn("SECRET_KEY", read)  # the pattern finds what it should
        self.assertEqual(read - documented_variables(), set())

    def test_systemd_docker_and_compose_run_the_procfiles_commands(self):
        processes = procfile()
        web, worker = shlex.split(processes["web"]), shlex.split(processes["worker"])
        self.assertEqual(unit_command("praha-web.service"), web)
        self.assertEqual(unit_command("praha-tasks.service"), worker)
        services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
        self.assertEqual(services["web"]["command"], web)
        self.assertEqual(services["tasks"]["command"], worker)
        self.assertLessEqual({"web", "tasks", "postgres", "redis"}, set(services))
        dockerfile = (ROOT / "Dockerfile").read_text()
        [cmd] = re.findall(r"^CMD (\[.+\])$", dockerfile, re.MULTILINE)
        self.assertEqual(yaml.safe_load(cmd), web)

    def test_the_release_step_migrates_and_collects_static_files(self):
        release = procfile()["release"]
        self.assertIn("manage.py migrate --noinput", release)
        self.assertIn("manage.py collectstatic --noinput", release)

    def test_manage_py_commands_of_the_recipe_run_with_production_settings(self):
        # manage.py defaults to the dev settings (DEBUG on); the worker and the release read
        # their settings module from the environment file.
        environment = (ROOT / "deploy" / "env.example").read_text()
        self.assertRegex(environment, r"(?m)^DJANGO_SETTINGS_MODULE=cms\.settings\.production$")


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's JIT")
class PostgresSessionTests(TestCase):
    def test_queries_are_not_jit_compiled(self):
        """At bench scale the reader's-language queries cost more than jit_above_cost: compiling
        one took 50 ms of a 5 ms query."""
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")
