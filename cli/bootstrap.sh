#!/usr/bin/env bash
# Makes a fresh clone runnable: installs the locked npm dependencies when node_modules is missing
# or older than package-lock.json, then the pinned local AWS stack (localstack/install.sh).
# Run by `npm start` and `npm test` before anything else; a no-op when everything is in place.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v npm >/dev/null 2>&1 || { echo "attune: npm not found: install Node.js 20 or newer" >&2; exit 1; }
stamp="node_modules/.attune-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "attune: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
# The web console served at /ui/: a second or so with esbuild, so it is rebuilt every time.
node console/build.ts >/dev/null
# Headless Chromium for the console's browser tests (Debian's package; nothing downloads a browser).
if ! command -v chromium >/dev/null 2>&1 && [ "${ATTUNE_SKIP_CHROMIUM:-}" != "1" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "attune: installing chromium for the browser tests (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
exec bash localstack/install.sh
