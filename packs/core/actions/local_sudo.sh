#!/usr/bin/env bash
# core.local_sudo: runs its first argument with bash -c as root. Refuses, saying why, when this
# worker has no sudo or sudo would ask for a password.
set -uo pipefail
if ! command -v sudo >/dev/null 2>&1; then
  echo "core.local_sudo: sudo is not installed on this worker" >&2
  exit 1
fi
if ! sudo -n true >/dev/null 2>&1; then
  echo "core.local_sudo: sudo on this worker needs a password or is not allowed for this user" >&2
  exit 1
fi
exec sudo -n -- bash -c "${1-}"
