/**
 * Replays what st2's Jinja environment rendered for each case of jinja-cases.json (recorded by
 * test/conformance/record-jinja.py into jinja-golden.json) through Attune's template module.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateError, TemplateSyntaxError, renderString, renderTemplate } from '../../../engine/templates/index.ts';
import type { UndefinedMode } from '../../../engine/templates/index.ts';

interface Case {
  name: string;
  template: string;
  context: string | Record<string, unknown>;
  undefined?: UndefinedMode;
  /** Attune differs from st2 here, for the reason given; `text`/`value` are what Attune renders. */
  divergence?: { reason: string; text?: string; value?: unknown };
}

interface Golden {
  name: string;
  text?: string;
  value?: unknown;
  valueError?: string;
  error?: { type: string; message: string };
}

const fixtures = new URL('../../fixtures/conformance/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('jinja-cases.json', fixtures), 'utf8')) as { contexts: Record<string, Record<string, unknown>>; cases: Case[] };
const golden = JSON.parse(readFileSync(new URL('jinja-golden.json', fixtures), 'utf8')) as { results: Golden[] };
const recorded = new Map(golden.results.map((result) => [result.name, result]));

// jinja2 raises these while compiling; everything else is raised while rendering.
const PARSE_ERRORS = new Set(['TemplateSyntaxError', 'TemplateAssertionError']);

function caught(act: () => unknown): TemplateError {
  try {
    act();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected the template to fail, as it does in st2');
}

function contextOf(c: Case): Record<string, unknown> {
  // Contexts reach templates the way payloads do: parsed from JSON text.
  return JSON.parse(JSON.stringify(typeof c.context === 'string' ? cases.contexts[c.context] : c.context)) as Record<string, unknown>;
}

describe('Jinja conformance with st2 (jinja2 3.1.6, st2 filters)', () => {
  it('has a golden for every case and at least 80 cases', () => {
    // Assess
    expect(cases.cases.length).toBeGreaterThanOrEqual(80);
    expect(cases.cases.filter((c) => !recorded.has(c.name)).map((c) => c.name)).toEqual([]);
  });

  it('records every known divergence with its reason, and keeps them few', () => {
    // Prepare
    const divergent = cases.cases.filter((c) => c.divergence);
    // Assess
    expect(divergent.every((c) => (c.divergence?.reason.length ?? 0) > 20)).toBe(true);
    expect(divergent.length).toBeLessThanOrEqual(5);
  });

  it.each(cases.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare
    const expected = recorded.get(c.name) as Golden;
    const options = { undefined: c.undefined ?? 'strict', label: `case "${c.name}"` } as const;
    const render = () => renderTemplate(c.template, contextOf(c), options);
    // Act + Assess
    if (c.divergence) {
      if (c.divergence.text !== undefined) expect(render()).toBe(c.divergence.text);
      if ('value' in c.divergence) expect(renderString(c.template, contextOf(c), options)).toEqual(c.divergence.value);
      expect(expected.text ?? expected.value).not.toEqual(c.divergence.text ?? c.divergence.value);
      return;
    }
    if (expected.error) {
      const failure = caught(render);
      if (PARSE_ERRORS.has(expected.error.type)) expect(failure).toBeInstanceOf(TemplateSyntaxError);
      else expect(failure).toMatchObject({ name: 'TemplateRenderError', pythonType: expected.error.type });
      return;
    }
    expect(render()).toBe(expected.text);
    if ('value' in expected) expect(renderString(c.template, contextOf(c), options)).toEqual(expected.value);
  });
});
