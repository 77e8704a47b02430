#!/usr/bin/env bash
# core.echo: prints its first argument verbatim (no option or escape processing, unlike echo).
set -euo pipefail
printf '%s\n' "${1-}"
