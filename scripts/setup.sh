#!/usr/bin/env bash
# Install what a fresh machine lacks for building (and, with --test, testing) the book.
# Safe to re-run: each step is skipped when what it installs is already current.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--test" ] && want_browser=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian packages: Node.js for bundling/vendoring, Chromium for the browser tests.
need_apt=()
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then need_apt+=(chromium); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${need_apt[@]}"
fi

# 2. Python: a project virtualenv with vizkit (editable) and the pinned book/test toolchain.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages (vizkit + book and test extras)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[book,test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# 3. npm: the bundler and the browser runtime the static book serves itself.
nstamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$nstamp" ]; then
  echo "setup: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$nstamp"
fi
