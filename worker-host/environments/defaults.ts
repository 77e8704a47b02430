/**
 * Environment defaults. Units are in the names; each carries the reason for its value.
 */

/**
 * Part of every environment key. Bump it when the layout of a built environment changes, so
 * workers build new ones instead of reusing directories laid out the old way. 2: Python venvs
 * carry a `.pth` file appending the st2 base (st2-base.ts).
 */
export const ENVIRONMENT_FORMAT = 2;

/** Env var naming the `uv` binary (else `.attune/venv-tools/bin/uv`, installed by localstack/install.sh). */
export const UV_ENV = 'ATTUNE_UV';

/** Lines of installer output kept for a failed build's error: enough for pip's or npm's last words. */
export const OUTPUT_TAIL_LINES = 40;

/**
 * Longest a single build may take. A big requirements.txt with sdists to compile can take minutes;
 * past this the installer is hung (a dead index, a prompt), so its process group is killed.
 */
export const BUILD_TIMEOUT_MS = 15 * 60_000;

/** How long `python -c …` may take to report its version: a healthy interpreter needs ~30 ms. */
export const PROBE_TIMEOUT_MS = 10_000;

/** How often the lock holder touches its lock file, proving it is alive to other hosts sharing the cache. */
export const LOCK_HEARTBEAT_MS = 5_000;

/**
 * A lock file untouched for this long is stale even if its pid looks alive (pid reused, or the
 * holder is on another host): twelve missed heartbeats.
 */
export const LOCK_STALE_MS = 60_000;

/** Waiting for another process's build: poll the lock this often (a build takes seconds). */
export const LOCK_POLL_MS = 200;

/** Longest wait for another process's build: its own timeout plus time to clean up. */
export const LOCK_WAIT_MS = BUILD_TIMEOUT_MS + 60_000;
