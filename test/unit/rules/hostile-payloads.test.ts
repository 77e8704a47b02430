import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { compileFnmatch, matchGlob } from '../../../engine/rules/index.ts';
import type { Criteria } from '../../../engine/rules/index.ts';

// Payloads are untrusted: a matcher whose work grows faster than the value is a denial of service.
// The wildcard matcher counts its comparisons, so its bound is asserted exactly. RE2 exposes no
// counter: the regex cases run in a worker thread that a generous deadline terminates, which a
// backtracking matcher would reach (`^(a+)+$` doubles its work per character: 2^28 steps took
// 1.7 s at 28 characters, these values are thousands long) and a linear one never nears.
const DEADLINE_MS = 30_000;

/** Whether `criteria` hold for `payload`, computed in a worker; rejects past the deadline. */
function matchInWorker(criteria: Criteria, payload: unknown): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./match-worker.ts', import.meta.url), { workerData: { criteria, payload } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`no answer within ${DEADLINE_MS} ms: the matcher's work is not linear`));
    }, DEADLINE_MS);
    worker.once('message', (matched: boolean) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(matched);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** The matcher's bound: (value + pattern length) × (longest run between stars). */
const bound = (value: string, pattern: string) => (value.length + pattern.length) * Math.max(1, compileFnmatch(pattern).longestRun);

describe('matchwildcard on hostile values', () => {
  it.each([400, 10_000, 1_000_000])('answers *a*a*a*a*b against %i "a"s within a linear number of comparisons', (n) => {
    // Prepare
    const pattern = '*a*a*a*a*b';
    const value = 'a'.repeat(n);
    // Act
    const miss = matchGlob(compileFnmatch(pattern), value);
    const hit = matchGlob(compileFnmatch(pattern), `${value}b`);
    // Assess
    expect(miss.matched).toBe(false);
    expect(hit.matched).toBe(true);
    expect(miss.steps).toBeLessThanOrEqual(bound(value, pattern));
    expect(hit.steps).toBeLessThanOrEqual(bound(`${value}b`, pattern));
  });

  it('stays within its bound when runs between stars almost match everywhere', () => {
    // Prepare
    const pattern = `*${'a'.repeat(30)}b*${'a'.repeat(30)}c`;
    const value = 'a'.repeat(100_000);
    // Act
    const result = matchGlob(compileFnmatch(pattern), value);
    // Assess
    expect(result.matched).toBe(false);
    expect(result.steps).toBeLessThanOrEqual(bound(value, pattern));
  });

  it('stops at its work budget and says so, rather than answering late', () => {
    // Act
    const result = matchGlob(compileFnmatch(`*${'a'.repeat(50)}b*`), 'a'.repeat(10_000), 1_000);
    // Assess
    expect(result).toEqual({ matched: false, steps: 1_001, exhausted: true });
  });
});

describe('regex operators on hostile values', () => {
  it.each([
    ['regex', '^(a+)+$', '28 "a"s and "!"', `${'a'.repeat(28)}!`, false],
    ['regex', '^(a+)+$', '50,000 "a"s and "!"', `${'a'.repeat(50_000)}!`, false],
    ['iregex', '^(a|a)*$', '50,000 "A"s and "!"', `${'A'.repeat(50_000)}!`, false],
    ['matchregex', '(x+x+)+y', '50,000 "x"s', 'x'.repeat(50_000), false],
    ['regex', '(\\w+\\s?)+$', '10,000 words and "!"', `${'word '.repeat(10_000)}!`, false],
    ['regex', '^(a+)+$', '50,000 "a"s', 'a'.repeat(50_000), true],
  ])('%s %s answers on %s', async (operator, pattern, _label, value, expected) => {
    // Act
    const matched = await matchInWorker({ 'trigger.v': { type: operator, pattern } }, { v: value });
    // Assess
    expect(matched).toBe(expected);
  }, DEADLINE_MS + 5_000);

  it('answers matchwildcard *a*a*a*a*b on a megabyte of "a"s in the worker as well', async () => {
    // Act
    const matched = await matchInWorker({ 'trigger.v': { type: 'matchwildcard', pattern: '*a*a*a*a*b' } }, { v: 'a'.repeat(1_000_000) });
    // Assess
    expect(matched).toBe(false);
  }, DEADLINE_MS + 5_000);
});
