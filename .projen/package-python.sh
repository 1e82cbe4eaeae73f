#!/usr/bin/env bash
# Builds the Python wheel from the sources `jsii-pacmak --code-only` wrote to dist/python, offline:
# pacmak's own build pip-installs pinned tools from PyPI, which this environment cannot reach.
set -euo pipefail
venv=.venv-py
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q "setuptools==80.9.0" wheel
"$venv/bin/pip" wheel --no-build-isolation --no-deps -w dist/python dist/python
ls dist/python/*.whl