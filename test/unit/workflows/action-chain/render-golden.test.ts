import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValueRenderFailure, renderValues } from '../../../../engine/workflows/action-chain/index.ts';

interface Case { name: string; mapping: Record<string, unknown>; context: Record<string, unknown> }
interface Answer { name: string; value?: Record<string, unknown>; error?: { type: string; message: string; key?: string; value?: string } }

const read = (file: string) => JSON.parse(readFileSync(new URL(`./goldens/${file}`, import.meta.url), 'utf8')) as unknown;
const cases = (read('render-values-cases.json') as { cases: Case[] }).cases;
const answers = new Map((read('render-values-golden.json') as { results: Answer[] }).results.map((a) => [a.name, a]));

/** What renderValues does with a case: the mapping, or the failure. */
function attempt(c: Case): { value: Record<string, unknown> } | { failure: ValueRenderFailure } {
  try {
    return { value: renderValues(c.mapping, c.context) };
  } catch (error) {
    if (error instanceof ValueRenderFailure) return { failure: error };
    throw error;
  }
}

// The goldens are st2's own render_values (st2common/util/jinja.py with jinja2 3.1.6 and orjson),
// recorded by record-render-values.py.
describe("action-chain values against st2's render_values", () => {
  it('has a recorded answer for every case', () => {
    // Assess
    expect(cases.map((c) => answers.has(c.name))).toEqual(cases.map(() => true));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare
    const answer = answers.get(c.name) as Answer;

    // Act
    const got = attempt(c);

    // Assess
    if (answer.error === undefined) {
      expect(got).toEqual({ value: answer.value });
      return;
    }
    expect(got).toHaveProperty('failure');
    const failure = (got as { failure: ValueRenderFailure }).failure;
    if (answer.error.key !== undefined) {
      // jinja2's reason, with the key and template text st2 attaches to the exception.
      expect([failure.key, failure.template, failure.reason]).toEqual([answer.error.key, answer.error.value, answer.error.message]);
    } else {
      // st2 lets the JSONDecodeError escape without a key; Attune names the key and says why.
      expect(answer.error.type).toBe('JSONDecodeError');
      expect(failure.key).toBe(Object.keys(c.mapping)[0]);
      expect(failure.reason).toMatch(/no longer JSON/);
    }
  });
});
