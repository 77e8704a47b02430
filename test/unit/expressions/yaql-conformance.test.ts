import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, PyFloat, renderText, YaqlDict, YaqlError, YaqlIterator, YaqlSyntaxError } from '../../../engine/expressions/yaql/index.ts';
import type { YaqlValue } from '../../../engine/expressions/yaql/index.ts';
import { renderTextToValue, renderValue } from '../../../engine/expressions/yaql/orquesta.ts';

// Replays every case of test/fixtures/conformance/yaql-cases.json against the answers yaql 1.1.3
// gave through Orquesta 1.2.0 (yaql-golden.json, recorded by test/conformance/record-yaql.py).

interface Case {
  id: string;
  mode: 'orquesta' | 'yaql' | 'render';
  text?: string;
  textParts?: Array<[string, number]>;
  expr?: string;
  value?: unknown;
  context?: string;
}
interface Golden {
  id: string;
  ok: boolean;
  type?: string;
  value?: unknown;
  error?: { class: string; inner: string; message: string; position?: number };
}

const fixtures = new URL('../../fixtures/conformance/', import.meta.url);
const spec = JSON.parse(readFileSync(new URL('yaql-cases.json', fixtures), 'utf8')) as { contexts: Record<string, Record<string, unknown>>; cases: Case[] };
const golden = (JSON.parse(readFileSync(new URL('yaql-golden.json', fixtures), 'utf8')) as { results: Golden[] }).results;

/** Python exception classes that are one of ours under another name. */
const KIND_ALIASES: Record<string, string> = {
  RecursionError: 'LimitExceeded', // Python runs out of stack where we stop at a bound
  JSONDecodeError: 'ValueError', // a ValueError subclass
  error: 'ValueError', // re.error: a pattern the regex engine rejects
  UnicodeDecodeError: 'YaqlLexicalException', // a bad escape in a string literal
};

/** Cases where we differ from yaql on purpose, and what we do instead. */
const DIVERGENCES: Record<string, { reason: string; assess: (outcome: Outcome) => void }> = {
  'err-029': {
    reason: 'yaql puts an unserializable <NoValue> marker in the list; an empty list element is a syntax error here',
    assess: (o) => expect(o.error).toBeInstanceOf(YaqlSyntaxError),
  },
  'more-016': {
    reason: 'yaql 1.1 crashes publishing named groups to a search() selector (a bug); they work here',
    assess: (o) => expect(o.js).toBe('2024'),
  },
};
/** Syntax errors reported one token earlier than ply does: at the bad argument, not the `)` after it. */
const POSITION_DIVERGENCES = new Set(['err-017', 'err-033']);

/** What one case gives: the public API's data, and the evaluator's own value for its Python type. */
interface Outcome {
  text: string;
  value?: YaqlValue;
  js?: unknown;
  error?: unknown;
}

function textOf(c: Case): string {
  return c.textParts ? c.textParts.map(([part, times]) => part.repeat(times)).join('') : (c.text ?? c.expr ?? JSON.stringify(c.value));
}

function run(c: Case): Outcome {
  const context = spec.contexts[c.context ?? 'empty'] ?? {};
  const text = textOf(c);
  try {
    if (c.mode === 'render') return { text, js: renderValue(c.value, context) };
    if (c.mode === 'orquesta') return { text, js: renderText(text, context), value: renderTextToValue(text, context) };
    const compiled = compile(c.expr as string);
    return { text, js: compiled.evaluate({ data: context }), value: compiled.evaluateValue({ data: context }) };
  } catch (error) {
    return { text, error };
  }
}

function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'int';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value) || value instanceof YaqlIterator) return 'list';
  if (value instanceof YaqlDict || (typeof value === 'object' && value !== null)) return 'dict';
  return typeof value;
}

describe('YAQL conformance with yaql 1.1.3 through Orquesta 1.2.0', () => {
  it('has a golden answer for every case, in order', () => {
    expect(golden.map((g) => g.id)).toEqual(spec.cases.map((c) => c.id));
    expect(spec.cases.length).toBeGreaterThanOrEqual(150);
  });

  for (const [index, c] of spec.cases.entries()) {
    const g = golden[index] as Golden;
    const shown = textOf(c).slice(0, 80);
    const divergence = DIVERGENCES[c.id];
    if (divergence) {
      it(`${c.id}: ${shown} differs on purpose: ${divergence.reason}`, () => {
        // Act
        const outcome = run(c);
        // Assess
        divergence.assess(outcome);
      });
      continue;
    }
    if (g.ok) {
      it(`${c.id}: ${shown} gives what yaql gives`, () => {
        // Act
        const outcome = run(c);
        // Assess
        expect(outcome.error).toBeUndefined();
        expect(outcome.js).toEqual(g.value);
        expect(pythonType(c.mode === 'render' ? outcome.js : outcome.value)).toBe(g.type);
      });
    } else {
      it(`${c.id}: ${shown} fails as in yaql (${g.error?.inner})`, () => {
        // Act
        const outcome = run(c);
        // Assess: our error, of the same kind, naming the expression and a position in it
        expect(outcome.error).toBeInstanceOf(YaqlError);
        const error = outcome.error as YaqlError;
        const inner = g.error?.inner ?? '';
        expect(error.kind).toBe(KIND_ALIASES[inner] ?? inner);
        expect(error.message).toMatch(/ at \d+ in "/);
        expect(outcome.text).toContain(error.expression.slice(0, 50));
        if (g.error?.position !== undefined && c.mode === 'orquesta' && !POSITION_DIVERGENCES.has(c.id)) {
          // yaql counts from the start of the stripped expression; we count in the <% %> segment.
          const lead = error.expression.length - error.expression.replace(/^[<%>]+\s*/, '').length;
          expect(error.position).toBe(lead + g.error.position);
        }
      });
    }
  }
});
