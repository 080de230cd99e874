#!/usr/bin/env bash
# Build the book to _build/html: vendor the browser runtime, then a strict Jupyter Book build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python scripts/vendor_static.py
.venv/bin/python scripts/pyodide_dist.py >/dev/null   # assemble or re-verify the self-hosted Pyodide (cached)
.venv/bin/jupyter-book build . -W -n --keep-going "$@"
