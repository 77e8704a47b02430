#!/usr/bin/env bash
# Re-records the Jinja goldens (test/fixtures/conformance/jinja-golden.json) with st2's own Jinja
# environment and filters. st2 is not on PyPI: point ATTUNE_ST2_SOURCE at a StackStorm checkout
# (git clone https://github.com/StackStorm/st2), or the Jinja goldens are left as they are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
if [ -z "${ATTUNE_ST2_SOURCE:-}" ] || [ ! -d "${ATTUNE_ST2_SOURCE}/st2common" ]; then
  echo "jinja goldens not re-recorded: set ATTUNE_ST2_SOURCE to a StackStorm checkout"
  exit 0
fi
# The versions st2 pins in fixed-requirements.txt, beside what record.sh installs.
.attune/oracle/bin/pip install -q jinja2==3.1.6 pyyaml==6.0.3 semver==3.0.4 jsonpath-rw==1.4.0 orjson==3.10.15 six
.attune/oracle/bin/python test/conformance/record-jinja.py --st2 "$ATTUNE_ST2_SOURCE"
