#!/usr/bin/env bash
# Run every test: JS units, the bundle check, vizkit unit/property/reference tests,
# every notebook under nbval, the strict book build and the browser tests over every page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/python scripts/vendor_static.py

echo "== JS unit tests (node --test)"
npm test --silent

echo "== Python, notebook, book and browser tests (pytest)"
.venv/bin/python -m pytest tests book --nbval-lax -p no:cacheprovider "$@"
