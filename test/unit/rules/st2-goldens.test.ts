import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PathSyntax, compileFnmatch, lookupSteps, matchCriteria, matchGlob, parsePath, parseTimestamp, renderCriterionPattern } from '../../../engine/rules/index.ts';

// Python's own answers, recorded by test/fixtures/rules/record-st2-goldens.py (see there for
// the versions and how to regenerate). Each group reports every case that differs at once.

/** Answers are strings of "1"/"0": per value (operators) or per pattern, one per text. */
interface Goldens {
  values: unknown[];
  operators: Record<string, string[]>;
  wildcard_texts: string[];
  wildcards: Record<string, string>;
  regex_texts: string[];
  regexes: Record<string, Record<string, string>>;
  render_context: Record<string, unknown>;
  renders: ({ pattern: string; rendered: unknown } | { pattern: string; error: string })[];
  timestamps: { value: string; epoch_ms: number | null }[];
  path_context: Record<string, unknown>;
  paths: ({ key: string; found: true; value: unknown } | { key: string; found: false } | { key: string; error: string })[];
}

/**
 * The recorded cases Attune answers differently, by RE2's limits or the template renderer's;
 * each group must differ in exactly these, so a new difference, or a fixed one, is seen.
 */
const KNOWN_DIFFERENCES = {
  // Python's `$` may match before a final newline that the pattern then consumes; RE2 cannot
  // express that, so `$` there is "a final newline or the end", consumed.
  regexes: ['a$\\n'],
  // Patterns are rendered by the Jinja-faithful template module: every recorded render agrees.
  renders: [],
  // Keys st2's jsonpath refuses and Attune reads (a field of digits indexes a list), and `..`
  // (descendants), which Attune refuses when the rule is registered.
  paths: ['trigger.body.items.0.name', 'trigger..name'],
};

const goldens = JSON.parse(readFileSync(new URL('../../fixtures/rules/st2-goldens.json', import.meta.url), 'utf8')) as Goldens;
const silent = { log: () => undefined };

/** Whether one criterion holds for a payload `{ v: value }`. */
const holds = (operator: string, value: unknown, pattern: unknown) =>
  matchCriteria({ 'trigger.v': { type: operator, pattern } }, { trigger: { v: value } }, silent).matched;

/** The cases of one answer string that `answer` gets wrong, as [text, expected]. */
function differing<T>(expected: string, inputs: readonly T[], answer: (input: T) => boolean): [T, boolean][] {
  return inputs.flatMap((input, i): [T, boolean][] => (answer(input) === (expected[i] === '1') ? [] : [[input, expected[i] === '1']]));
}

describe("Python's answers for st2's operators over every kind of JSON value", () => {
  it.each(Object.keys(goldens.operators))('%s answers as its Python expression does', (operator) => {
    // Act
    const wrong = goldens.values.flatMap((value, i) =>
      differing(goldens.operators[operator]![i]!, goldens.values, (pattern) => holds(operator, value, pattern)).map(([pattern, expected]) => ({ value, pattern, expected })),
    );
    // Assess
    expect(wrong).toEqual([]);
  });
});

describe("Python's fnmatch", () => {
  it('matches every recorded pattern and value as fnmatch.fnmatch does', () => {
    // Act
    const wrong = Object.entries(goldens.wildcards).flatMap(([pattern, answers]) =>
      differing(answers, goldens.wildcard_texts, (text) => matchGlob(compileFnmatch(pattern), text).matched).map(([text, expected]) => ({ pattern, text, expected })),
    );
    // Assess
    expect(wrong).toEqual([]);
  });
});

describe("Python's re, run by RE2", () => {
  it.each(Object.keys(goldens.regexes))('%s answers as re.search / re.match do', (operator) => {
    // Act
    const wrong = Object.entries(goldens.regexes[operator]!).flatMap(([pattern, answers]) =>
      differing(answers, goldens.regex_texts, (text) => holds(operator, text, pattern)).map(([text, expected]) => ({ pattern, text, expected })),
    );
    // Assess
    expect(wrong).toEqual([{ pattern: KNOWN_DIFFERENCES.regexes[0], text: 'a\n', expected: true }]);
  });
});

describe("st2's rendering of criteria patterns", () => {
  it('renders each recorded pattern to the value st2 compares, or fails where st2 fails', () => {
    // Act
    const differing = goldens.renders.filter((c) => {
      let rendered: unknown;
      try {
        rendered = renderCriterionPattern(c.pattern, goldens.render_context, 'pattern');
      } catch {
        return !('error' in c);
      }
      return 'error' in c || JSON.stringify(rendered) !== JSON.stringify(c.rendered);
    });
    // Assess
    expect(differing.map((c) => c.pattern)).toEqual(KNOWN_DIFFERENCES.renders);
  });
});

describe("dateutil's reading of timestamps (timediff_lt, timediff_gt)", () => {
  it('reads ISO 8601 and RFC 2822 timestamps to the same instant, a naive one as UTC', () => {
    // Act
    const differing = goldens.timestamps.filter((c) => {
      const at = parseTimestamp(c.value);
      return c.epoch_ms === null ? at !== undefined : at === undefined || Math.abs(at - c.epoch_ms) > 0.001;
    });
    // Assess
    expect(differing).toEqual([]);
  });
});

describe("jsonpath's reading of criteria keys (st2's PayloadLookup)", () => {
  /** What a key finds, in the golden's terms: the first match, nothing, or an error. */
  function lookup(key: string): { found: true; value: unknown } | { found: false } | { error: string } {
    let steps;
    try {
      steps = parsePath(key);
    } catch (error) {
      if (error instanceof PathSyntax) return { error: 'syntax' };
      throw error;
    }
    const result = lookupSteps(goldens.path_context, steps);
    if (result.mismatch) return { error: 'mismatch' };
    return result.found ? { found: true, value: result.value } : { found: false };
  }

  it('finds what jsonpath finds first, nothing where it finds nothing, and fails where it raises', () => {
    // Act
    const differing = goldens.paths.filter((c) => {
      const { key, ...expected } = c;
      const actual = lookup(key);
      return 'error' in expected ? !('error' in actual) : JSON.stringify(actual) !== JSON.stringify(expected);
    });
    // Assess
    expect(differing.map((c) => c.key)).toEqual(KNOWN_DIFFERENCES.paths);
  });
});
