"""axe-core (node_modules/, installed by scripts/browser-deps.sh) run inside a Playwright page."""

from collections import defaultdict
from functools import cache
from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# language -> [(url, status, violation ids)], for the per-language summary at the end of the run
results = defaultdict(list)


@cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, tags=WCAG21_AA):
    """The axe-core violations of the page as loaded (a list of axe's result dicts)."""
    # Evaluated over DevTools, not as an inline <script>: the site's CSP forbids inline scripts,
    # and the page is checked under the policy readers get.
    page.evaluate(_axe_source())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        tags,
    )


def describe(violations):
    """One readable line per failing element."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node['html'][:120]}"
        for v in violations
        for node in v["nodes"]
    ]


def record(language, url, status, violations):
    results[language].append((url, status, [v["id"] for v in violations]))


def axe_summary_lines():
    lines = []
    for language, checked in results.items():
        violations = sum(len(ids) for _url, _status, ids in checked)
        statuses = ", ".join(
            f"{status}×{sum(1 for c in checked if c[1] == status)}"
            for status in sorted({c[1] for c in checked})
        )
        lines.append(
            f"axe WCAG 2.1 A/AA [{language}]: {len(checked)} pages checked "
            f"(HTTP {statuses}), {violations} violations"
        )
    return lines
