import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoundedLog } from '../../../worker-host/bounded-log.ts';
import { jsonOrText, st2ShellResult, stripShellChars } from '../../../worker-host/runner/index.ts';

describe("st2's local runner result", () => {
  it('reports a succeeded command with its output stripped of one trailing newline', () => {
    expect(st2ShellResult({ stdout: 'hello\n\n', stderr: 'warn\r\n', exitCode: 0 })).toEqual({
      failed: false,
      succeeded: true,
      return_code: 0,
      stdout: 'hello\n',
      stderr: 'warn',
    });
  });

  it('parses a stream that is one JSON document, as json_loads does, and keeps any other text', () => {
    expect(st2ShellResult({ stdout: '{"a": [1, true, null]}\n', stderr: '42', exitCode: 0 })).toMatchObject({ stdout: { a: [1, true, null] }, stderr: 42 });
    expect(jsonOrText('"quoted"')).toBe('quoted');
    expect(jsonOrText('null')).toBeNull();
    expect(jsonOrText('true')).toBe(true);
    expect(jsonOrText('1.5e3')).toBe(1500);
    expect(jsonOrText('{"a": 1} trailing')).toBe('{"a": 1} trailing');
    expect(jsonOrText('NaN')).toBe('NaN');
    expect(jsonOrText('')).toBe('');
    expect(jsonOrText('  ')).toBe('  ');
  });

  it('keeps as text a document with an integer outside 64 bits, which orjson refuses', () => {
    expect(jsonOrText('123456789012345678901234567890')).toBe('123456789012345678901234567890');
    expect(jsonOrText('[18446744073709551615, -9223372036854775808]')).toEqual([2 ** 64, -(2 ** 63)]);
    expect(jsonOrText('{"id": "123456789012345678901234567890"}')).toEqual({ id: '123456789012345678901234567890' });
    expect(jsonOrText('0.1234567890123456789012345')).toBe(Number('0.1234567890123456789012345'));
  });

  it('fails a non-zero exit, keeping its return code', () => {
    expect(st2ShellResult({ stdout: '', stderr: 'boom\n', exitCode: 3 })).toEqual({ failed: true, succeeded: false, return_code: 3, stdout: '', stderr: 'boom' });
  });

  it("reports a timeout as st2 does: return code -9 and st2's error text", () => {
    expect(st2ShellResult({ stdout: 'partial\n', stderr: '', exitCode: null, signal: 'SIGTERM', timeoutSeconds: 2 })).toEqual({
      failed: true,
      succeeded: false,
      return_code: -9,
      stdout: 'partial',
      stderr: '',
      error: 'Action failed to complete in 2 seconds',
    });
  });

  it('keeps what the script reported with attune-result under result', () => {
    expect(st2ShellResult({ stdout: 'x', stderr: '', exitCode: 0, scriptResult: { k: 1 } })).toMatchObject({ stdout: 'x', result: { k: 1 } });
  });

  it('strips one \\n then one \\r, and nothing else', () => {
    expect(['a\r\n', 'a\n\r', 'a\r\r\n', 'a'].map(stripShellChars)).toEqual(['a', 'a\n', 'a\r', 'a']);
  });
});

describe('the head of a bounded log', () => {
  it('reads what was written up to a byte limit, never splitting a character', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'attune-head-'));
    try {
      const log = new BoundedLog(join(dir, 'out'), 1024);
      await log.write(Buffer.from('ab\u00e9cd'));
      // Act
      const whole = await log.head(100);
      const cut = await log.head(3);
      const empty = await new BoundedLog(join(dir, 'none'), 10).head(5);
      // Assess
      expect(whole).toBe('ab\u00e9cd');
      expect(cut).toBe('ab');
      expect(empty).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
