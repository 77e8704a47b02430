#!/usr/bin/env bash
# Re-records the timer goldens (test/fixtures/timers/apscheduler-goldens.json) with APScheduler
# 3.10, the scheduler st2reactor's timer runs on, in a Python 3.11 venv under .attune/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
py311="${ATTUNE_PYTHON311:-python3.11}"
if [ ! -x .attune/timer-ref/bin/python ]; then
  "$py311" -m venv .attune/timer-ref
fi
.attune/timer-ref/bin/pip install -q APScheduler==3.10.4 pytz==2025.2 python-dateutil==2.9.0.post0
.attune/timer-ref/bin/python test/conformance/record-timers.py
