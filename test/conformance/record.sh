#!/usr/bin/env bash
# Re-records the golden answers of the reference implementations (`npm run conformance:record`).
# Needs network access to PyPI once and pyenv's Python 3.9 (orquesta 1.2.0 needs 3.8 or 3.9).
# `npm test` never runs this: it replays the committed goldens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
py39="${ATTUNE_PYTHON39:-$HOME/.pyenv/versions/3.9.18/bin/python}"
py311="${ATTUNE_PYTHON311:-python3.11}"

if [ ! -x .attune/yaql-ref/bin/python ]; then
  "$py39" -m venv .attune/yaql-ref
  .attune/yaql-ref/bin/pip install -q orquesta==1.2.0 yaql==1.1.3
fi
if [ ! -x .attune/oracle/bin/python ]; then
  "$py311" -m venv .attune/oracle
  .attune/oracle/bin/pip install -q jinja2==3.1.6 python-dateutil==2.9.0.post0 orjson==3.10.15 jsonpath-rw==1.4.0
fi
.attune/yaql-ref/bin/python test/conformance/record-yaql.py
.attune/yaql-ref/bin/python -W ignore test/conformance/record-orquesta.py
.attune/oracle/bin/python test/fixtures/rules/record-st2-goldens.py
for extra in test/conformance/record-*.sh.d/*.sh; do [ -e "$extra" ] && bash "$extra"; done
echo "goldens recorded; review them with git diff"
