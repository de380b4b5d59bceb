#!/usr/bin/env bash
# Print the path of a working Python interpreter: `scripts/find-python.sh python3.13` (or a path).
# A command on PATH that runs wins; otherwise pyenv's newest installed 3.X (pyenv's shims do not
# run versions that are installed but not selected). Prints nothing and exits 1 when none is found.
set -uo pipefail
wanted="${1:?usage: find-python.sh python3.X|/path/to/python}"

runs() { "$1" -c 'import sys' >/dev/null 2>&1; }

if found="$(command -v "$wanted")" && runs "$found"; then
  echo "$found"
  exit 0
fi
if [[ "$wanted" =~ ^python(3\.[0-9]+)$ ]] && command -v pyenv >/dev/null; then
  version="${BASH_REMATCH[1]}"
  for candidate in $(ls -d "$(pyenv root)/versions/$version".* 2>/dev/null | sort -rV); do
    if runs "$candidate/bin/python$version"; then
      echo "$candidate/bin/python$version"
      exit 0
    fi
  done
fi
exit 1
