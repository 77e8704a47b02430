#!/usr/bin/env bash
# core.error: prints its first argument on stderr and exits 1.
printf '%s\n' "${1-}" >&2
exit 1
