import { runProcess } from '../runner/index.ts';
import { OUTPUT_TAIL_LINES } from './defaults.ts';

/** One installer command: `uv venv …`, `pip install …`, `npm ci …`. */
export interface InstallerCommand {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
}

/**
 * How an installer ended: `ok`, else a one-line reason. `tail` is its last output lines, preceded
 * by its first error lines when those scrolled out of the tail (npm prints its usage after them).
 */
export interface InstallerOutcome {
  ok: boolean;
  reason: string;
  tail: string;
}

// Package-manager settings (indexes, their credentials, certificates, proxies) that installers
// need, and nothing else: AWS_*, ATTUNE_* and the worker's other settings never reach setup.py or
// an npm postinstall script.
const PASSED_NAMES = new Set(['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS']);
const PASSED_PREFIX = /^(PIP_|UV_|NPM_CONFIG_|PYENV_)|_PROXY$/i;

/**
 * The environment of installers and interpreter probes: the variables package managers read for
 * their configuration (PATH, HOME, proxies, CA bundles, PIP_*, UV_*, npm_config_*, PYENV_*), plus
 * `extra`. Everything else in `source` is left out.
 */
export function installerEnv(extra: Readonly<Record<string, string>> = {}, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (PASSED_NAMES.has(name) || PASSED_PREFIX.test(name))) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Runs an installer through the process runner (own process group, killed whole on timeout),
 * keeping only the last {@link OUTPUT_TAIL_LINES} lines of stdout and stderr, interleaved as they
 * came, and its first {@link FIRST_ERROR_LINES} error lines. `onLine` sees every line.
 */
export async function runInstaller(cmd: InstallerCommand, onLine?: (line: string) => void): Promise<InstallerOutcome> {
  const tail = new LineTail(OUTPUT_TAIL_LINES, onLine);
  try {
    const outcome = await runProcess(
      { command: cmd.command, args: cmd.args, cwd: cmd.cwd, env: cmd.env, stdin: '', timeoutMs: cmd.timeoutMs },
      { onStdout: (c) => tail.write(c), onStderr: (c) => tail.write(c) },
    );
    const name = `${cmd.command.split('/').pop() ?? cmd.command} ${cmd.args[0] ?? ''}`.trim();
    if (outcome.timedOut) return { ok: false, reason: `${name} timed out after ${cmd.timeoutMs} ms`, tail: tail.text() };
    if (outcome.exitCode !== 0) {
      const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited ${outcome.exitCode}`;
      return { ok: false, reason: `${name} ${how}`, tail: tail.text() };
    }
    return { ok: true, reason: '', tail: tail.text() };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err), tail: tail.text() };
  }
}

// What pip, uv and npm print about the requirement they could not satisfy, first match wins.
const FAILING_REQUIREMENT: readonly RegExp[] = [
  /No matching distribution found for (\S+)/, // pip
  /Could not find a version that satisfies the requirement (\S+)/, // pip
  /there is no version of (\S+?)(?:,| and|$)/m, // uv
  /Because (\S+?) was not found in the package registry/, // uv
  /Failed to (?:build|download|fetch) `([^`]+)`/, // uv
  /No matching version found for (\S+?)\.?$/m, // npm ETARGET
  /Missing: (\S+) from lock file/, // npm ci, lock out of step with package.json
  /404 Not Found - GET \S+\/(@?[^/\s]+(?:%2[fF][^/\s]+)?) - /, // npm E404
  /Failed to build (\S+)/, // pip, sdist
];

/** The requirement an installer's output names as failing (`six==0.0.999`, `is-number@99`), if any. */
export function failingRequirement(output: string): string | undefined {
  for (const pattern of FAILING_REQUIREMENT) {
    const match = pattern.exec(output);
    if (match?.[1]) return decodeURIComponent(match[1]);
  }
  return undefined;
}

/** Error lines kept from the start of the output, so a cause followed by pages of usage survives. */
const FIRST_ERROR_LINES = 10;
const ERROR_LINE = /\berror\b|\bcause:|Missing:|^\s*(×|╰─▶)/i;
const EMPTY_NPM_LINE = /^npm (error|ERR!)\s*$/;

/** The last `limit` lines of a stream of chunks and its first error lines, in bounded memory. */
class LineTail {
  readonly #limit: number;
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #lines: string[] = [];
  readonly #firstErrors: Array<[number, string]> = [];
  #seen = 0;
  #partial = '';

  constructor(limit: number, onLine?: (line: string) => void) {
    this.#limit = limit;
    this.#onLine = onLine;
  }

  write(chunk: Buffer): void {
    const parts = (this.#partial + chunk.toString('utf8')).split(/\r?\n|\r/);
    this.#partial = (parts.pop() ?? '').slice(-4096);
    for (const line of parts) this.#push(line);
  }

  text(): string {
    if (this.#partial !== '') {
      this.#push(this.#partial);
      this.#partial = '';
    }
    const firstInTail = this.#seen - this.#lines.length;
    const scrolledOut = this.#firstErrors.filter(([index]) => index < firstInTail).map(([, line]) => line);
    return [...scrolledOut, ...(scrolledOut.length > 0 ? ['…'] : []), ...this.#lines].join('\n');
  }

  #push(raw: string): void {
    const line = raw.slice(0, 4096);
    if (line.trim() === '' || EMPTY_NPM_LINE.test(line)) return;
    this.#onLine?.(line);
    if (this.#firstErrors.length < FIRST_ERROR_LINES && ERROR_LINE.test(line)) this.#firstErrors.push([this.#seen, line]);
    this.#seen += 1;
    this.#lines.push(line);
    if (this.#lines.length > this.#limit) this.#lines.shift();
  }
}
