/**
 * The result of a `local-shell-cmd` / `local-shell-script` run as st2's local runner builds it
 * (`local_runner/base.py`): `{failed, succeeded, return_code, stdout, stderr}`, plus `error` on a
 * timeout. Each stream loses one trailing `\n` and then one trailing `\r` (`strip_shell_chars`),
 * then is replaced by its JSON value when it is a JSON document (`jsonify.json_loads` with orjson:
 * `42` → 42, `{"a":1}` → an object, `"x"` → `x`, `hello` stays text).
 */

/** What a shell run left behind, as the worker saw it. */
export interface ShellRun {
  /** The stream's text as logged (masked, bounded). */
  stdout: string;
  stderr: string;
  /** The process's exit code; null when it died by a signal. */
  exitCode: number | null;
  /** The signal that ended it, when one did (its st2 return code is `-<number>`). */
  signal?: NodeJS.Signals | null;
  /** Set when the run was killed on its timeout: st2's `-9` and "Action failed to complete in N seconds". */
  timeoutSeconds?: number;
  /** What the script wrote with `attune-result` (ours): kept under `result`. */
  scriptResult?: unknown;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

/** st2's SIGKILL exit code, negated: the return code of a run killed on its timeout. */
const TIMEOUT_RETURN_CODE = -9;

/**
 * st2's shell result of one run.
 * @example
 * st2ShellResult({ stdout: '{"a": 1}\n', stderr: '', exitCode: 0 })
 * // → { failed: false, succeeded: true, return_code: 0, stdout: { a: 1 }, stderr: '' }
 */
export function st2ShellResult(run: ShellRun): Record<string, unknown> {
  let returnCode = run.exitCode ?? -(SIGNALS[run.signal ?? ''] ?? 1);
  let error: string | undefined;
  if (run.timeoutSeconds !== undefined) {
    returnCode = TIMEOUT_RETURN_CODE;
    error = `Action failed to complete in ${String(run.timeoutSeconds)} seconds`;
  }
  const succeeded = returnCode === 0;
  return {
    failed: !succeeded,
    succeeded,
    return_code: returnCode,
    stdout: jsonOrText(stripShellChars(run.stdout)),
    stderr: jsonOrText(stripShellChars(run.stderr)),
    ...(error === undefined ? {} : { error }),
    ...(run.scriptResult === undefined ? {} : { result: run.scriptResult }),
  };
}

/** st2's `strip_shell_chars`: one trailing `\n`, then one trailing `\r`. */
export function stripShellChars(text: string): string {
  const noNewline = text.endsWith('\n') ? text.slice(0, -1) : text;
  return noNewline.endsWith('\r') ? noNewline.slice(0, -1) : noNewline;
}

/**
 * The JSON value of `text` when it is one JSON document, as orjson reads it, else `text`. orjson
 * refuses integers outside 64 bits (the text is kept then) where JSON.parse would round them.
 */
export function jsonOrText(text: string): unknown {
  if (text.trim() === '') return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return hasOutOfRangeInteger(text) ? text : value;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** True when the JSON text holds an integer literal orjson refuses (outside [-2^63, 2^64-1]). */
function hasOutOfRangeInteger(text: string): boolean {
  // Integer literals outside strings: strip strings first, then look at whole numbers without . or e.
  const outside = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of outside.matchAll(/(?<![\d.eE+-])-?\d{19,}(?![.\deE])/g)) {
    const n = BigInt(match[0]);
    if (n < INT64_MIN || n > UINT64_MAX) return true;
  }
  return false;
}
