"""`make mutate`: mutation score of the modules that hold the rules protecting readers and
translators (issue 13), each mutated against its own tests only.

mutmut 3 reads its settings from the pyproject.toml in its working directory and copies the
project into `mutants/` there. So each module gets a working directory build/mutation/<slug>/
with links to the project and a pyproject.toml that is ours plus a [tool.mutmut] section naming
the file to mutate and the tests to run. A module whose rules share a file with other code
(Concept codes in concept/models.py, the calendar in platforms/api.py) names its functions:
only their mutants are run and counted.

Every mutant is a new pytest session; migrating a test database each time would take longer than
the tests, so one migrated SQLite template is built (once per state of the migrations) and each
session copies it (tests/conftest.py, PRAHA_TEST_DB_TEMPLATE).

Survivors that docs/testing.md lists as equivalent are counted apart: the score is given with and
without them, and only the others are "unexplained".

Writes build/mutation.json and prints a table. Arguments: slugs of modules to run (default all);
`--survivors` re-tests only the last run's unexplained survivors (and mutants no test reached) of
those modules (after adding a test: minutes instead of a full run). MUTATE_JOBS sets mutmut's
--max-children (default 2)."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"
BIN = Path(sys.executable).parent
# What a test session needs from the project. mutmut's source paths are every top-level Python
# package but the tests (listed, not hard-coded: a new app would otherwise be missing from
# mutants/ and every session would fail on its import).
SOURCES = sorted(
    path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"
)
ALSO = ["templates", "locale", "static", "manage.py"]


@dataclass
class Module:
    slug: str
    files: list[str]
    tests: list[str]
    # mutant-name globs when only some functions of the files hold the rule
    functions: list[str] = field(default_factory=list)


# tests/test_reader_language.py::ReaderLanguageTests but its crawl
READER = [
    "test_an_untranslated_page_is_read_in_the_visitors_chrome",
    "test_every_link_of_a_fallback_page_stays_in_the_visitors_language",
    "test_the_fallback_chain_is_the_one_the_api_follows",
    "test_the_chain_comes_from_settings",
    "test_a_page_is_reachable_by_any_of_its_slugs_and_serves_its_translation",
    "test_a_draft_translation_is_never_served",
    "test_unknown_addresses_are_404_in_the_visitors_language",
    "test_the_translated_page_links_its_untranslated_children_in_its_language",
    "test_icp_route_serves_the_readers_version_of_a_meeting",
    "test_concept_tree_mixes_translated_and_untranslated_levels",
    "test_a_page_written_only_in_a_translation_sits_in_the_concept_tree",
    "test_the_concept_tree_holds_only_its_own_concept",
    "test_a_section_lists_its_children_only",
    "test_an_alias_in_its_own_language_is_served",
]


MODULES = [
    Module(
        "content",
        ["home/api/content.py"],
        [
            "tests/api/test_leaks.py",
            "tests/api/test_resources.py",
            # hidden subtrees looked up once per request; the list pins take minutes per mutant
            "tests/api/test_queries.py::QueryCountTests::test_detail_budgets",
        ],
    ),
    Module(
        "locale",
        ["home/api/locale.py", "home/localization.py"],
        [
            "tests/api/test_locale.py",
            # not the crawl (12 s a session, every address answers: no rule of its own), which
            # made the 376 mutants take hours on this machine
            *(f"tests/test_reader_language.py::ReaderLanguageTests::{name}" for name in READER),
            "tests/test_reader_language.py::LanguageSwitcherTests",
            "tests/test_meeting_fallback.py",
            # the locale setup; not the bulk status queries (translation_status's module)
            "tests/i18n/test_locales.py::LocaleSetupTests",
            "tests/api/test_leaks.py",
            # the locale codes read once per request and the memo of localized objects only save
            # queries; mutmut runs the fastest tests first, so only their mutants reach this (46 s)
            "tests/test_query_counts.py::PageQueryCountTests::test_pages_read_in_another_language",
            # hidden subtrees are looked up once per API request (the request's snapshot)
            "tests/api/test_queries.py::QueryCountTests::test_list_queries_are_constant_and_pinned",
        ],
    ),
    Module(
        "translation_status",
        ["home/translation_status.py"],
        [
            "tests/i18n/test_sync.py",
            "tests/i18n/test_locales.py",
            "tests/i18n/test_snippet_drafts.py",
            # what clients and translators read of the states: the API's translations list
            # (the hand-made rule, issue 13, hole 3, among them) and the report's links; the
            # rest of test_locale.py is the reader's fallback (the `locale` module)
            "tests/api/test_locale.py::LocaleTests::"
            "test_hand_made_translation_is_outdated_once_the_source_is_republished",
            "tests/api/test_locale.py::LocaleTests::test_translations_list_each_language_with_status",
            "tests/api/test_locale.py::LocaleTests::test_snippet_translations_are_listed_too",
            "tests/api/test_locale.py::LocaleTests::"
            "test_an_alias_in_another_language_is_not_a_translation",
            "tests/i18n/test_admin_chrome.py::StatusWordsTests",
        ],
    ),
    Module(
        "caching",
        ["home/api/caching.py"],
        [
            "tests/api/test_caching.py",
            "tests/api/test_calendar.py",
            # the latest change is read once per request (cursor and Last-Modified): the pins
            # see the extra reads (11 s)
            "tests/api/test_queries.py::QueryCountTests::test_list_queries_are_constant_and_pinned",
        ],
    ),
    Module(
        "translator_access",
        ["home/translation/access.py", "home/translation/permissions.py"],
        [
            "tests/i18n/test_permissions.py",
            # The whole matrix through the admin views takes ~65 s per mutant (three tests);
            # the printed matrix is computed by the same checks and held to the specification
            # in a second, and the admin's buttons and the middleware are tested on their own.
            "tests/i18n/test_permission_matrix.py::PermissionMatrixCommandTests::"
            "test_command_table_is_the_specification",
            "tests/i18n/test_permission_matrix.py::TranslationEditorButtonsTests",
            "tests/i18n/test_permission_matrix.py::EveryPageTypeTests",
            # the PO upload handed over to the importer's checks (refuse_bad_upload)
            "tests/i18n/test_admin_po.py::TranslationEditorUploadTests",
            # the per-snippet guard on a view without a hook of its own (unpublish)
            "tests/i18n/test_snippet_admin.py::AdminPublishingTests::"
            "test_translator_publishes_when_allowed_in_their_language_only",
        ],
    ),
    Module(
        "po_import",
        ["home/translation/po.py"],
        [
            "tests/i18n/test_po_files.py",
            "tests/i18n/test_admin_po.py",
            # where the importer's other rules are tested: the batched export and import equal
            # wagtail-localize's, errors naming the file (slugs, titles), drafts stay drafts
            "tests/i18n/test_bulk_drafts.py",
            "tests/i18n/test_slugs.py",
            "tests/i18n/test_end_to_end.py",
            "tests/i18n/test_snippet_drafts.py",
        ],
    ),
    Module(
        "concept_codes",
        ["concept/models.py"],
        ["tests/test_admin.py"],
        ["concept.models.xǁCodedPageFormǁ*", "concept.models.x_used_codes__mutmut_*"],
    ),
    Module(
        "calendar",
        ["platforms/api.py"],
        ["tests/api/test_calendar.py"],
        [
            "platforms.api.xǁMeetingViewSetǁcalendar__mutmut_*",
            "platforms.api.x_publish_counts__mutmut_*",
            "platforms.api.x_calendar_bytes__mutmut_*",
            "platforms.api.x_meeting_event__mutmut_*",
            "platforms.api.x_meeting_summary__mutmut_*",
        ],
    ),
]


def template_database():
    """A migrated SQLite file, rebuilt when a migration changes."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    template = WORK / f"template-{digest.hexdigest()[:12]}.sqlite3"
    for copy in WORK.glob("template-*.sqlite3.*"):  # left behind by an interrupted run
        pid = copy.name.split(".")[2].split("-")[0]
        if pid.isdigit() and not alive(int(pid)):
            copy.unlink()
    if not template.exists():
        for old in WORK.glob("template-*.sqlite3*"):
            old.unlink()
        partial = template.with_suffix(".partial")
        print("Migrating the template database (once per state of the migrations)…", flush=True)
        subprocess.run(
            [BIN / "python", "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment(partial),
            check=True,
        )
        partial.rename(template)
    return template


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def environment(database):
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        PRAHA_TEST_DB_TEMPLATE=str(database),
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def prepare(module, fresh=True):
    """build/mutation/<slug>/: links to the project, our pyproject.toml plus [tool.mutmut]."""
    workdir = WORK / module.slug
    workdir.mkdir(parents=True, exist_ok=True)
    for name in [*SOURCES, *ALSO, "tests"]:
        link = workdir / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    settings = {
        "source_paths": SOURCES,
        "also_copy": ALSO,
        "only_mutate": module.files,
        "pytest_add_cli_args_test_selection": module.tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
        "use_git_change_detection": False,
        # mutmut's wall-clock limit is 15 × the tests' own time, which leaves out setUpTestData
        # (seed content: 10 s and more on a loaded machine): surviving mutants were cut off and
        # counted as timeouts, i.e. killed. A real endless loop still ends, later.
        "timeout_multiplier": 60.0,
    }
    lines = ["", "[tool.mutmut]"] + [
        f"{key} = {json.dumps(value)}" for key, value in settings.items()
    ]
    text = (ROOT / "pyproject.toml").read_text() + "\n".join(lines) + "\n"
    (workdir / "pyproject.toml").write_text(text)
    if fresh:
        # mutmut reuses mutants/ by modification time, which the links hide: start afresh.
        shutil.rmtree(workdir / "mutants", ignore_errors=True)
    return workdir


def run(module, template, jobs, survivors=None, previous=None):
    """mutmut on the module; with `survivors` (names) only those are tested again, the others
    keep their `previous` row's verdict."""
    workdir = prepare(module, fresh=survivors is None)
    log = WORK / f"{module.slug}.log"
    names = module.functions if survivors is None else survivors
    command = [BIN / "mutmut", "run", "--max-children", str(jobs), *names]
    started = time.monotonic()
    with log.open("a" if survivors is not None else "w") as output:
        subprocess.run(
            command, cwd=workdir, env=environment(template), stdout=output, stderr=output
        )
    seconds = time.monotonic() - started
    results = subprocess.run(
        [BIN / "mutmut", "results", "--all", "true"],
        cwd=workdir,
        env=environment(template),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if survivors is not None:
        results = carried(results, previous, set(survivors))
    return tally(module, results, seconds)


def carried(results, previous, again):
    """`mutmut results` with the verdicts of the mutants not tested `again` taken from the
    previous row. New tests make mutmut collect its stats again, and it then forgets its other
    results ("not checked"); they stand: the code under test is the same and tests were only
    added, so what was killed stays killed."""
    lines = []
    for line in results.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if match and match.group(1) not in again:
            name = match.group(1)
            status = "killed"
            if name in previous["survivors"]:
                status = "survived"
            elif name in previous.get("untested", []):
                status = "no tests"
            line = f"    {name}: {status}"
        lines.append(line)
    return "\n".join(lines)


def tally(module, results, seconds):
    statuses = {}
    for line in results.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if not match:
            continue
        name, status = match.groups()
        if module.functions and not any(fnmatchcase(name, glob) for glob in module.functions):
            continue
        statuses[name] = status
    counts = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    killed = counts.pop("killed", 0) + counts.get("timeout", 0)
    survived = counts.pop("survived", 0)
    # "no tests" counts against the score: nothing in the module's tests runs that code.
    tried = (
        killed
        + survived
        + sum(count for status, count in counts.items() if status not in ("timeout", "skipped"))
    )
    row = {
        "module": ", ".join(module.files)
        + (f" ({len(module.functions)} function groups)" if module.functions else ""),
        "slug": module.slug,
        "killed": killed,
        "survived": survived,
    }
    row.update({status.replace(" ", "_"): count for status, count in counts.items()})
    row["score"] = round(100 * killed / tried, 1) if tried else None
    # Survivors docs/testing.md shows to be equivalent (no observable difference) are not a
    # missing test: the target is met on the others. Both figures are kept.
    equivalent = {name for name, status in statuses.items() if status == "survived"}
    equivalent &= documented_equivalents()
    row["equivalent"] = len(equivalent)
    rest = tried - len(equivalent)
    row["score_without_equivalent"] = round(100 * killed / rest, 1) if rest else None
    row["seconds"] = round(seconds)
    row["survivors"] = sorted(name for name, status in statuses.items() if status == "survived")
    row["unexplained_survivors"] = sorted(set(row["survivors"]) - equivalent)
    row["untested"] = sorted(name for name, status in statuses.items() if status == "no tests")
    return row


def documented_equivalents():
    """Mutant names listed under "Equivalent mutants" in docs/testing.md, the one place that says
    why each is equivalent. A line names a mutant in full (`pkg.mod.x_f__mutmut_29`), then
    maybe more of the same function by number only (`_30`)."""
    text = (ROOT / "docs" / "testing.md").read_text()
    section = text.split("### Equivalent mutants", 1)[-1].split("\n## ", 1)[0]
    names = set()
    for line in section.split("\n- "):
        prefix = None
        for token in re.findall(r"`([^`]+)`", line):
            full = re.fullmatch(r"([\w.ǁ]+__mutmut_)(\d+)", token)
            if full:
                prefix = full.group(1)
                names.add(token)
            elif prefix and re.fullmatch(r"_\d+", token):
                names.add(prefix + token[1:])
    return names


def fnmatchcase(name, glob):
    from fnmatch import fnmatchcase as match

    return match(name, glob)


def table(rows):
    print(
        f"\n{'module':<20} {'killed':>7} {'survived':>9} {'(equiv.)':>9} {'other':>6} "
        f"{'score':>7} {'w/o eq.':>8} {'time':>7}"
    )
    named = {"killed", "survived", "equivalent", "score", "score_without_equivalent", "seconds"}
    for row in rows:
        other = sum(
            value for key, value in row.items() if key not in named and isinstance(value, int)
        )

        def percent(value):
            return f"{value:.1f}%" if value is not None else "-"

        print(
            f"{row['slug']:<20} {row['killed']:>7} {row['survived']:>9} "
            f"{row.get('equivalent', 0):>9} {other:>6} {percent(row['score']):>7} "
            f"{percent(row.get('score_without_equivalent')):>8} {row['seconds']:>6}s"
        )


def read_report(report):
    """{slug: row} of build/mutation.json, empty before the first run."""
    if not report.exists():
        return {}
    return {row["slug"]: row for row in json.loads(report.read_text())}


def main(arguments):
    again = "--survivors" in arguments
    slugs = [argument for argument in arguments if argument != "--survivors"]
    report = ROOT / "build" / "mutation.json"
    previous = read_report(report)
    unknown = set(slugs) - {module.slug for module in MODULES}
    if unknown:
        sys.exit(f"Unknown module(s): {', '.join(sorted(unknown))}")
    WORK.mkdir(parents=True, exist_ok=True)
    template = template_database()
    jobs = int(os.environ.get("MUTATE_JOBS", "2"))
    rows = []
    for module in MODULES:
        if slugs and module.slug not in slugs:
            continue
        print(f"mutmut: {module.slug} …", flush=True)
        if again:
            if module.slug not in previous:
                sys.exit(f"No previous run of {module.slug}: run it without --survivors first.")
            if previous[module.slug].get("not_checked"):
                sys.exit(f"The last run of {module.slug} did not finish: run it afresh.")
            # documented equivalents need no second look; code no test reached may be now
            again_names = previous[module.slug].get(
                "unexplained_survivors", previous[module.slug]["survivors"]
            ) + previous[module.slug].get("untested", [])
            if not again_names:
                rows.append(previous[module.slug])
                continue
            rows.append(run(module, template, jobs, again_names, previous[module.slug]))
        else:
            rows.append(run(module, template, jobs))
        print(f"  {rows[-1]['killed']} killed, {rows[-1]['survived']} survived", flush=True)
    if slugs:  # a partial run updates its modules' rows only
        # read again: another run (of other modules) may have written its rows meanwhile
        kept = [row for slug, row in read_report(report).items() if slug not in slugs]
        rows = kept + rows
        rows.sort(key=lambda row: [m.slug for m in MODULES].index(row["slug"]))
    report.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    table(rows)
    print(f"\nSurvivors: build/mutation/<module>/ `mutmut show <name>`; totals in {report}")


if __name__ == "__main__":
    main(sys.argv[1:])
