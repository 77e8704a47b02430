/**
 * Process runner defaults. Units are in the names; each carries the reason for its value.
 */

/** st2's default for `local-shell-cmd` and `local-shell-script`: short commands, fail fast. */
export const SHELL_TIMEOUT_MS = 60_000;

/** st2's default for `python-script`: Python actions often call slow remote APIs. */
export const PYTHON_TIMEOUT_MS = 600_000;

/** `nodejs` has no st2 default; it plays the role of `python-script`, so it gets the same. */
export const NODE_TIMEOUT_MS = 600_000;

/** st2's `http-request` default timeout is 60 s (its `timeout` runner parameter is in seconds). */
export const HTTP_TIMEOUT_MS = 60_000;

/** Time between SIGTERM and SIGKILL: enough for a wrapper to flush, short enough to free the slot. */
export const KILL_GRACE_MS = 5_000;

/**
 * Largest result document read from fd 3. Results are stored on the execution record (DynamoDB
 * items stop at 400 KiB, larger ones go to S3); 4 MiB keeps a runaway result from costing memory.
 */
export const RESULT_LIMIT_BYTES = 4 * 1024 * 1024;

/** Largest `http-request` response body read into memory; the rest is cut and flagged. */
export const HTTP_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * How long to wait for stdout/stderr to reach EOF once the action and its group are gone. A
 * process that escaped the group (setsid) may hold a pipe open forever; we stop reading then.
 */
export const DRAIN_AFTER_EXIT_MS = 2_000;

/** Interpreter for `python-script` when the pack has no environment yet (tests, by-hand runs). */
export const DEFAULT_PYTHON = 'python3';

/** Locale for every action: UTF-8 output regardless of the worker host's settings. */
export const ACTION_LOCALE = 'C.UTF-8';

/** PATH for actions: the usual system directories, never the worker's own PATH. */
export const ACTION_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Largest request line an action may send on the service channel. A datastore value is at most
 * 64 KiB; JSON escaping can make it six times longer in the worst case (`\u0000`), plus the name.
 */
export const SERVICE_REQUEST_LIMIT_BYTES = 512 * 1024;

/**
 * Largest answer line written on the service channel: a listing stops here (and says so) rather
 * than hold an unbounded list in the worker's memory.
 */
export const SERVICE_RESPONSE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Most of each stream a shell action's result carries (st2's `stdout`/`stderr` keys). The whole
 * stream stays in the log (up to its own limit); 1 MiB each keeps a chatty command's result small
 * enough to read back whole through the API.
 */
export const SHELL_RESULT_TEXT_MAX_BYTES = 1024 * 1024;

/** Action accounts are `attune-action-<n>`: named, so `ps` and audit logs say what runs. */
export const ACTION_USER_PREFIX = 'attune-action-';

/** Most action accounts one host hands out (all workers together): ATTUNE_WORKER_CONCURRENCY caps at 256. */
export const ACTION_USER_MAX_SLOTS = 1024;

/** Root-only directory holding which worker process holds which action account (tmpfs: cleared at boot). */
export const ACTION_USERS_LOCK_DIR = '/run/attune/action-users';

/** Rounds of scan-and-SIGKILL over a uid's processes before the account is declared unusable. */
export const KILL_USER_ROUNDS = 400;
