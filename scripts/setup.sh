#!/usr/bin/env bash
# Sets up a fresh clone: .venv in the repository root with the package and its dependencies.
#   bash scripts/setup.sh          # runtime only
#   bash scripts/setup.sh --test   # plus test tools and Debian's chromium for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then
    echo "setup: installing Debian's chromium and a Chinese font for the browser tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
      || { echo "setup: could not install chromium (apt-get failed); the browser tests need it" >&2; exit 1; }
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
