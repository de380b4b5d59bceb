"""What share of the suite's time the tests added by some commits take: how much slower they made
`make test` (issue 13 asks for at most 10 %).

    .venv/bin/pytest --junitxml=build/junit.xml -o junit_duration_report=total
    .venv/bin/python scripts/test_times.py build/junit.xml --grep "issue 13" --grep survivor

A test counts as added by a commit when the commit's diff adds its `def test_…` line (in the
file it is in now); `--grep` picks the commits by message (git log -i, any of the patterns).
Durations are pytest's own (set-up, call and tear-down of each test), so the share holds however
loaded the machine was; a class's `setUpTestData` is charged to its first test."""

import argparse
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDED_TEST = re.compile(r"^\+\s+def (test_\w+)", re.MULTILINE)


def added_tests(patterns):
    """{(path, test name)} added by the commits whose message matches any of `patterns`."""
    grep = [argument for pattern in patterns for argument in ("--grep", pattern)]
    commits = subprocess.run(
        ["git", "log", "-i", "--no-merges", "--format=%H", *grep],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = set()
    for commit in commits:
        diff = subprocess.run(
            ["git", "show", "--format=", "-U0", commit, "--", "tests"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for part in diff.split("\ndiff --git "):
            path = re.search(r"^\+\+\+ b/(\S+)", part, re.MULTILINE)
            if path:
                found |= {(path.group(1), name) for name in ADDED_TEST.findall(part)}
    return found


def durations(junit):
    """[(path, test name, seconds)] of every test case in a JUnit XML report."""
    cases = []
    for case in ET.parse(junit).iter("testcase"):
        module = case.get("classname", "")
        # tests.api.test_locale.LocaleTests → tests/api/test_locale.py (a class or not)
        parts = module.split(".")
        while parts and not parts[-1].startswith("test_"):
            parts.pop()
        path = "/".join(parts) + ".py"
        name = case.get("name", "").split("[")[0]
        cases.append((path, name, float(case.get("time", 0))))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("junit", help="pytest --junitxml report of a whole run")
    parser.add_argument("--grep", action="append", required=True, help="commit message pattern")
    options = parser.parse_args()
    added = added_tests(options.grep)
    cases = durations(options.junit)
    total = sum(seconds for _path, _name, seconds in cases)
    mine = [(p, n, s) for p, n, s in cases if (p, n) in added]
    share = sum(s for _p, _n, s in mine)
    print(f"{len(cases)} tests, {total:.1f} s in all")
    print(f"{len(mine)} of them added by the commits matching {options.grep}: {share:.1f} s")
    print(f"the rest: {total - share:.1f} s; those tests add {100 * share / (total - share):.1f} %")
    for path, name, seconds in sorted(mine, key=lambda case: -case[2])[:10]:
        print(f"  {seconds:6.1f} s  {path}::{name}")


if __name__ == "__main__":
    main()
