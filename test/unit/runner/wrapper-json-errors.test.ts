import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A JSON document that does not parse may still hold secrets (the action input, a shell result):
 * the wrappers report where it breaks and how long it is, never a quoted part of it.
 */
const wrapper = (path: string): string => fileURLToPath(new URL(`../../../worker-host/wrappers/${path}`, import.meta.url));
const SECRET = 'hunter2-correct-horse-battery';

/** Runs a wrapper by hand (report on stdout) with `stdin` as its input. */
function run(command: string, args: string[], stdin: string): { status: number | null; report: { ok: boolean; result?: unknown; error?: { type: string; message: string } }; stderr: string } {
  const done = spawnSync(command, args, { input: stdin, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 20_000 });
  const lines = done.stdout.trim().split('\n');
  return { status: done.status, report: JSON.parse(lines[lines.length - 1] ?? '') as never, stderr: done.stderr };
}

const brokenInput = `{"execution":{"id":"e1","action":"p.a"},"parameters":{},"secrets":{"token":${SECRET}},"config":{}}`;

describe('wrappers given input that is not JSON', () => {
  it.each([
    ['node', process.execPath, [wrapper('node/attune-wrapper.mjs'), 'unused.mjs']],
    ['shell', process.execPath, [wrapper('shell/attune-shell-wrapper.mjs'), '--cmd']],
    ['python', 'python3', [wrapper('python/attune_wrapper.py'), 'unused.py']],
  ])('the %s wrapper fails naming the input and its length, quoting none of it', (_name, command, args) => {
    // Act
    const { status, report, stderr } = run(command, args, brokenInput);
    // Assess
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.error?.type).toBe('InvalidJson');
    // V8 gives no position for an unexpected token, Python does.
    expect(report.error?.message).toMatch(new RegExp(`^the input on stdin is not valid JSON (at position \\d+ \\(of |\\()${brokenInput.length} characters\\)$`));
    expect(`${JSON.stringify(report)}\n${stderr}`).not.toMatch(/hunter|horse|secrets/);
  });
});

describe('the python wrapper given JSON that is not an object', () => {
  it('fails naming what it received, quoting none of it', () => {
    const { status, report } = run('python3', [wrapper('python/attune_wrapper.py'), 'unused.py'], `["${SECRET}"]`);
    expect(status).toBe(1);
    expect(report).toEqual({ ok: false, error: { type: 'InvalidJson', message: 'the input on stdin is JSON but not an object (a list)' } });
  });
});

describe('the shell wrapper given a result that is not JSON', () => {
  it('fails the run naming the result channel and the length, quoting none of the result', () => {
    // Prepare: the script passes a secret to attune-result inside text that is not JSON.
    const document = {
      execution: { id: 'e1', action: 'p.a' },
      parameters: { cmd: 'attune-result "{\\"token\\": $(attune-secret token)}"' },
      secrets: { token: SECRET },
      config: {},
    };
    const resultText = `{"token": ${SECRET}}`;
    // Act
    const { status, report, stderr } = run(process.execPath, [wrapper('shell/attune-shell-wrapper.mjs'), '--cmd'], JSON.stringify(document));
    // Assess
    expect(status).toBe(1);
    expect(report).toEqual({
      ok: false,
      result: { return_code: 0 },
      error: { type: 'InvalidResult', message: `expected one JSON document: the result written on fd 3 is not valid JSON (${resultText.length} characters)` },
    });
    expect(stderr).not.toContain('hunter');
  });
});
