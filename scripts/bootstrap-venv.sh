#!/bin/sh
# Create the virtual environment; on Debian without the venv module, install it first.
set -e
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if "$PYTHON" -m venv "$VENV" 2>/dev/null; then
  exit 0
fi
rm -rf "$VENV"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing python3-venv (Debian)…"
  apt-get update -qq && apt-get install -y -qq python3-venv python3.11-venv >/dev/null 2>&1 \
    || apt-get install -y -qq python3-venv >/dev/null
  "$PYTHON" -m venv "$VENV"
else
  echo "Python's venv module is missing: install python3-venv (e.g. sudo apt-get install python3-venv)." >&2
  exit 1
fi
