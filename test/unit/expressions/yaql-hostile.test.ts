import { describe, expect, it } from 'vitest';
import {
  evaluate,
  MAX_COLLECTION_ITEMS,
  MAX_EXPRESSION_CHARS,
  MAX_NESTING_DEPTH,
  parse,
  renderText,
  renderValue,
  YaqlLimitError,
} from '../../../engine/expressions/yaql/index.ts';
import { failure } from './yaql-failure.ts';


describe('YAQL on hostile input', () => {
  it('refuses 40 000 nested parentheses with a limit error, not a stack overflow', () => {
    // Act
    const error = failure(() => parse(`${'('.repeat(40_000)}1${')'.repeat(40_000)}`));
    // Assess
    expect(error).toBeInstanceOf(YaqlLimitError);
    expect(error.message).toMatch(new RegExp(`nests deeper than ${MAX_NESTING_DEPTH} levels at \\d+ in "\\(\\(\\(`));
  });

  it('refuses long operator chains, which nest the tree as deep as they are long', () => {
    for (const source of [`1${' + 1'.repeat(20_000)}`, `${'-'.repeat(20_000)}1`, `${'not '.repeat(20_000)}true`, `$${'.x'.repeat(20_000)}`, `${'['.repeat(20_000)}${']'.repeat(20_000)}`]) {
      expect(failure(() => evaluate(source))).toBeInstanceOf(YaqlLimitError);
    }
  });

  it('evaluates nesting below the bound', () => {
    expect(evaluate(`${'('.repeat(150)}1${')'.repeat(150)}`)).toBe(1);
    expect(evaluate(`0${' + 1'.repeat(150)}`)).toBe(150);
  });

  it('refuses an expression longer than the limit before lexing it', () => {
    // Prepare
    const source = `'${'x'.repeat(MAX_EXPRESSION_CHARS)}'`;
    // Act
    const error = failure(() => evaluate(source));
    // Assess
    expect(error).toBeInstanceOf(YaqlLimitError);
    expect(error.message).toContain(`over the limit of ${MAX_EXPRESSION_CHARS}`);
    expect(error.message.length).toBeLessThan(400);
  });

  it('bounds the collections and strings an expression builds', () => {
    expect(failure(() => evaluate('range(100000000)')).message).toContain(`more than ${MAX_COLLECTION_ITEMS} items`);
    expect(failure(() => evaluate("'x' * 100000000"))).toBeInstanceOf(YaqlLimitError);
    expect(failure(() => evaluate('[1, 2] * 100000000'))).toBeInstanceOf(YaqlLimitError);
    expect(failure(() => evaluate('range(2000).join(range(2000), true, [$1, $2])'))).toBeInstanceOf(YaqlLimitError);
  });

  it('stops an expression that would run for minutes at the evaluation budget', () => {
    // Act
    const error = failure(() => evaluate('range(1000000).select(range(1000).sum()).sum()'));
    // Assess
    expect(error).toBeInstanceOf(YaqlLimitError);
    expect(error.message).toContain('evaluation took more than');
  }, 120_000);

  it('refuses data nested deeper than it can walk', () => {
    // Prepare
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    // Act, Assess
    expect(failure(() => renderText('<% ctx(deep) %>', { deep }))).toBeInstanceOf(YaqlLimitError);
    expect(failure(() => renderValue(deep, {}))).toBeInstanceOf(YaqlLimitError);
  });

  it('stops values that render each other forever, naming the expression the workflow wrote', () => {
    // Act
    const error = failure(() => renderText('<% ctx().a %>', { a: '<% ctx().b %>', b: '<% ctx().a %>' }));
    // Assess
    expect(error).toBeInstanceOf(YaqlLimitError);
    expect(error.expression).toBe('<% ctx().a %>');
  });

  it('renders a text of 20 000 expressions in one pass', () => {
    // Prepare
    const text = Array.from({ length: 20_000 }, (_, i) => `<% ${i} %>`).join(',');
    // Act
    const rendered = renderText(text) as string;
    // Assess
    expect(rendered.split(',')).toHaveLength(20_000);
    expect(rendered.endsWith('19998,19999')).toBe(true);
  });

  it('shares one evaluation budget among the expressions of a render', () => {
    // Prepare: each expression alone is under the budget, together they are not
    const heavy = '<% range(200000).where($ > 0).len() %>';
    // Act
    const error = failure(() => renderValue({ a: heavy, b: heavy, c: heavy, d: heavy, e: heavy }, {}));
    // Assess
    expect(error).toBeInstanceOf(YaqlLimitError);
    expect(() => renderText(heavy)).not.toThrow();
  }, 120_000);

  it('keeps a key named __proto__ as data', () => {
    // Prepare
    const context = JSON.parse('{"d": {"__proto__": {"polluted": true}}}') as Record<string, unknown>;
    // Act
    const result = renderText('<% ctx().d %>', context) as Record<string, unknown>;
    // Assess
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
  });
});
