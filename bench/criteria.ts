/**
 * Rule criteria on hostile payloads, in process (no local stack):
 * - `matchwildcard *a*a*a*a*b` and `regex ^(a+)+$` (backtracking's worst cases: 142 s and 1.7 s
 *   with JavaScript's RegExp at 400 and 28 characters) through matchCriteria, at growing sizes;
 * - each as a ratio against a plain `===` loop over the same value (one comparison per
 *   character) measured in the same run: a linear matcher keeps the ratio flat as the value grows.
 * Usage: node bench/criteria.ts [max characters=1000000]
 */
import { matchCriteria } from '../engine/rules/index.ts';
import type { Criteria } from '../engine/rules/index.ts';
import { printTable } from './stats.ts';

const maxChars = Number(process.argv[2] ?? 1_000_000);
const BATCH_MS = 150;
const BATCHES = 5;

/** Milliseconds per call of `body`: the fastest of BATCHES batches of about BATCH_MS (the machine is shared). */
function timePerCall(body: () => unknown): number {
  body();
  let calls = 1;
  for (let t0 = performance.now(); performance.now() - t0 < 10; calls *= 2) for (let i = 0; i < calls; i++) body();
  const perBatch = Math.max(1, Math.round(calls * (BATCH_MS / 10)));
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) body();
    samples.push((performance.now() - t0) / perBatch);
  }
  return Math.min(...samples);
}

/** The baseline: compare each character of `value` with `===`, as a loop reading it once does. */
function equalityLoop(value: string): number {
  let equal = 0;
  for (let i = 0; i < value.length; i++) if (value[i] === 'a') equal++;
  return equal;
}

interface Case {
  name: string;
  criteria: Criteria;
  value: (n: number) => string;
  sizes: number[];
  expected: boolean;
}

const sizes = (first: number) => [first, 10_000, 100_000, maxChars].filter((n, i, all) => n <= maxChars && all.indexOf(n) === i);
const CASES: Case[] = [
  { name: 'matchwildcard *a*a*a*a*b', criteria: { 'trigger.v': { type: 'matchwildcard', pattern: '*a*a*a*a*b' } }, value: (n) => 'a'.repeat(n), sizes: sizes(400), expected: false },
  { name: 'regex ^(a+)+$', criteria: { 'trigger.v': { type: 'regex', pattern: '^(a+)+$' } }, value: (n) => `${'a'.repeat(n - 1)}!`, sizes: sizes(28), expected: false },
];

const rows: (string | number)[][] = [['case', 'characters', 'match µs', '=== loop µs', 'ratio']];
for (const c of CASES) {
  for (const n of c.sizes) {
    const value = c.value(n);
    const context = { trigger: { v: value } };
    const matched = matchCriteria(c.criteria, context).matched;
    if (matched !== c.expected) throw new Error(`${c.name} on ${n} characters answered ${matched}`);
    const match = timePerCall(() => matchCriteria(c.criteria, context));
    const baseline = timePerCall(() => equalityLoop(value));
    rows.push([c.name, String(n), match * 1000, baseline * 1000, match / baseline]);
  }
}
printTable(rows);
