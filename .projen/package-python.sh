#!/usr/bin/env bash
# Builds the Python wheel from the sources jsii-pacmak generated (--code-only), offline.
set -euo pipefail
src=dist/python/_generated
[ -d "$src" ] || src=$(find dist -maxdepth 3 -name setup.py -printf "%h\n" | head -n 1)
venv=.venv-py
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
wheels=$(ls -d /opt/pypi-more/files /opt/pypi/files 2>/dev/null | sed "s/^/--find-links /" | tr "\n" " ")
"$venv/bin/pip" install -q --no-index $wheels "setuptools==80.9.0" wheel || true
mkdir -p dist/python
"$venv/bin/pip" wheel --no-build-isolation --no-deps -w dist/python "$src"
ls dist/python/*.whl