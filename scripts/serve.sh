#!/usr/bin/env bash
# Build the book and serve it on http://127.0.0.1:${PORT:-8000}/ (Ctrl-C stops the server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
port=${PORT:-8000}
echo "serving the book at http://127.0.0.1:${port}/"
exec .venv/bin/python -m http.server "$port" --bind 127.0.0.1 --directory _build/html
