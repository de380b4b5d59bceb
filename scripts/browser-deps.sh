#!/usr/bin/env bash
# Dependencies of the browser tests (tests/browser/), from the project's own sources only:
# Debian's chromium (apt) and axe-core (npm, pinned in package-lock.json). Playwright for Python
# comes with the dev extra. Never a downloaded browser (`playwright install` is not used).
#
# Idempotent and silent when everything is present. Where it cannot install (not root, no apt,
# no npm) it prints one line and exits 0, and pytest skips only the browser tests; in CI (CI=true)
# it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
apt_updated=""

cannot() {
  if [ "${CI:-}" = "true" ]; then
    echo "browser-deps: $1 (required in CI)" >&2
    exit 1
  fi
  echo "Browser tests will be skipped: $1."
  exit 0
}

can_apt() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}

apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x "$CHROMIUM" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    cannot "CHROMIUM_PATH=$CHROMIUM is not an executable"
  fi
  can_apt || cannot "no Debian chromium at $CHROMIUM (install it: sudo apt-get install chromium)"
  echo "browser-deps: installing Debian's chromium"
  apt_install chromium
fi

if ! command -v npm >/dev/null; then
  can_apt || cannot "npm is missing for axe-core (install it: sudo apt-get install npm)"
  echo "browser-deps: installing npm"
  apt_install npm
fi

# npm ci writes node_modules/.package-lock.json; reinstall only when the lock file changed.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
