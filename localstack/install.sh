#!/usr/bin/env bash
# Install the local AWS stack into <project>/.attune (or $ATTUNE_HOME):
#   .attune/venv-localstack  LocalStack core 4.13.1 (requirements-localstack.txt, fully pinned)
#   .attune/venv-moto        moto server 5.2.5     (requirements-moto.txt, fully pinned)
#   .attune/venv-tools       uv (UV_VERSION below, pinned): the worker builds pack environments with
#                            .attune/venv-tools/bin/uv (ATTUNE_UV overrides it; without uv the worker
#                            falls back to python -m venv + pip)
# Idempotent: when a venv's stamp matches the hash of its requirements file it is left alone, so a
# second run is a no-op that takes a few milliseconds. Needs Python 3.11 (ATTUNE_PYTHON to choose).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(dirname "$SCRIPT_DIR")"
ATTUNE_DIR="${ATTUNE_HOME:-$PROJECT_ROOT/.attune}"
# Bump when this script changes in a way that needs reinstalling.
INSTALL_LAYOUT=1
# uv for pack environments (worker-host/environments). Bump deliberately: the stamp then differs and
# only venv-tools is reinstalled.
UV_VERSION=0.13.9

log() { printf '[attune install] %s\n' "$*"; }
die() { printf '[attune install] ERROR: %s\n' "$*" >&2; exit 1; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 | cut -d' ' -f1
  else
    cksum | tr ' ' '-'
  fi
}

stamp_for() { # <requirements file>
  { echo "layout=$INSTALL_LAYOUT"; cat "$1"; } | sha256_of
}

is_installed() { # <venv dir> <requirements file>
  [[ -x "$1/bin/python" && -f "$1/.attune-stamp" ]] &&
    [[ "$(cat "$1/.attune-stamp")" == "$(stamp_for "$2")" ]]
}

# venv-tools has a one-line requirements file, written here (only when it changes, so the fast path
# stays a few stat calls) instead of living beside the other two.
TOOLS_REQUIREMENTS="$ATTUNE_DIR/requirements-tools.txt"
if [[ "$(cat "$TOOLS_REQUIREMENTS" 2>/dev/null || true)" != "uv==$UV_VERSION" ]]; then
  mkdir -p "$ATTUNE_DIR"
  echo "uv==$UV_VERSION" > "$TOOLS_REQUIREMENTS"
fi

VENVS=("venv-localstack:$SCRIPT_DIR/requirements-localstack.txt"
       "venv-moto:$SCRIPT_DIR/requirements-moto.txt"
       "venv-tools:$TOOLS_REQUIREMENTS")

all_installed() {
  local entry
  for entry in "${VENVS[@]}"; do
    is_installed "$ATTUNE_DIR/${entry%%:*}" "${entry#*:}" || return 1
  done
}

# Fast path: nothing to do.
if all_installed; then
  log "up to date ($ATTUNE_DIR)"
  exit 0
fi

# --- find Python 3.11 -------------------------------------------------------------------------
python_minor() { # prints e.g. 3.11 if $1 runs, else nothing
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

find_python() {
  if [[ -n "${ATTUNE_PYTHON:-}" ]]; then
    [[ "$(python_minor "$ATTUNE_PYTHON")" == "3.11" ]] ||
      die "ATTUNE_PYTHON=$ATTUNE_PYTHON is not a working Python 3.11"
    echo "$ATTUNE_PYTHON"; return
  fi
  local candidate
  local candidates=()
  command -v python3.11 >/dev/null 2>&1 && candidates+=("$(command -v python3.11)")
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.11*/bin/python; do
    [[ -x "$candidate" ]] && candidates+=("$candidate")
  done
  command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
  for candidate in "${candidates[@]}"; do
    if [[ "$(python_minor "$candidate")" == "3.11" ]]; then
      echo "$candidate"; return
    fi
  done
  die "Python 3.11 not found: install it or set ATTUNE_PYTHON"
}

# --- lock: one installer at a time per .attune directory ----------------------------------------
mkdir -p "$ATTUNE_DIR/run"
LOCK="$ATTUNE_DIR/run/install.lock"
acquire_lock() {
  local waited=0
  until mkdir "$LOCK" 2>/dev/null; do
    local holder
    holder="$(cat "$LOCK/pid" 2>/dev/null || true)"
    if [[ -n "$holder" ]] && ! kill -0 "$holder" 2>/dev/null; then
      log "removing stale install lock of dead process $holder"
      rm -rf "$LOCK"; continue
    fi
    (( waited % 30 == 0 )) && log "waiting for another install (pid ${holder:-?}) to finish"
    (( waited >= 1800 )) && die "timed out waiting for install lock $LOCK"
    sleep 1; waited=$((waited + 1))
  done
  echo $$ > "$LOCK/pid"
  trap 'rm -rf "$LOCK"' EXIT
}
acquire_lock

# Another installer may have finished while we waited.
if all_installed; then
  log "up to date ($ATTUNE_DIR)"
  exit 0
fi

PYTHON="$(find_python)"
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null ||
  die "$PYTHON cannot create virtual environments (install the venv/ensurepip module for Python 3.11)"
log "using $PYTHON ($("$PYTHON" -c 'import sys; print(sys.version.split()[0])'))"

install_venv() { # <venv dir> <requirements file>
  local venv="$1" requirements="$2" started=$SECONDS
  if is_installed "$venv" "$requirements"; then
    log "$(basename "$venv") up to date"; return
  fi
  log "creating $(basename "$venv") from $(basename "$requirements") (first time: about a minute)"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  # Every package is pinned in the file, so the resolver has nothing to choose.
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
    --require-virtualenv --use-pep517 -r "$requirements" ||
    die "pip install into $venv failed (see the messages above)"
  "$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null ||
    die "installed packages in $venv are inconsistent: $("$venv/bin/python" -m pip check 2>&1 | head -3)"
  stamp_for "$requirements" > "$venv/.attune-stamp"
  log "$(basename "$venv") ready in $((SECONDS - started)) s"
}

# Both venvs install in parallel (downloads and unpacking overlap).
pids=()
for entry in "${VENVS[@]}"; do
  install_venv "$ATTUNE_DIR/${entry%%:*}" "${entry#*:}" &
  pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
(( failed == 0 )) || die "install failed (see the messages above)"
log "uv for pack environments: $ATTUNE_DIR/venv-tools/bin/uv"
log "done ($ATTUNE_DIR)"
