import { RENDERED_PATTERN_MAX_CHARS } from './defaults.ts';
import { CriterionError, TemplateError, UnknownOperatorError } from './errors.ts';
import { isPlainObject } from './json.ts';
import { BadPattern, OPERATOR_NAMES, getOperator } from './operators.ts';
import type { OperatorContext } from './operators.ts';
import { PathSyntax, lookupSteps, parsePath } from './path.ts';
import { renderCriterionPattern } from './pattern-render.ts';
import { pyTruthy } from './python-values.ts';
import type { TemplateContext } from './templates.ts';

/**
 * One criterion of a rule: an operator (`type`), for most operators a `pattern`, and for `search`
 * a `condition` (any, all, any2any, all2any) with nested criteria as its pattern.
 */
export interface Criterion {
  type: string;
  pattern?: unknown;
  condition?: unknown;
}

/**
 * A rule's criteria: key → criterion. The key is a path into the context (`trigger.body.status`,
 * `trigger.body.items[0].name`); text after a `#` is ignored, so `trigger.body.n#2` puts a
 * second criterion on the same path, as in st2.
 */
export type Criteria = Record<string, Criterion>;

/** The first criterion that did not hold, with the values it compared. */
export interface FailedCriterion {
  /** The criteria key as written. */
  path: string;
  type: string;
  /** The pattern after template rendering (as written when it did not render). */
  pattern: unknown;
  /** The value found at the key's path; undefined when nothing is there. */
  value: unknown;
  /** Set when the criterion could not be evaluated (and so does not hold). */
  error?: CriterionError;
}

/** The outcome of matching criteria; `failed` explains a non-match. */
export interface CriteriaResult {
  matched: boolean;
  failed?: FailedCriterion;
}

/** Options of {@link matchCriteria}. */
export interface MatchOptions {
  /** The rule's ref, named in errors. */
  rule?: string;
  /** The instant `timediff_lt`/`timediff_gt` measure against; defaults to now. */
  now?: Date;
  /**
   * Where each criterion that could not be evaluated is logged, once per match, at `warn`: the
   * CriterionError's message, with `rule`, `criterion`, `operator`, `code` and `reason` as fields
   * (the engine's log shape). Default: a JSON line on stderr.
   */
  log?: CriteriaLog;
}

/** The conditions of st2's `search` operator. */
export const SEARCH_CONDITIONS = ['any', 'all', 'any2any', 'all2any'] as const;

/** The criteria key without its `#` suffix: the path it reads. */
export function criteriaKeyPath(key: string): string {
  return key.split('#', 1)[0] as string;
}

/** A structured log line: level, message, fields. */
export type CriteriaLog = (level: 'warn', message: string, fields: Record<string, unknown>) => void;

const defaultLog: CriteriaLog = (level, message, fields) => console.warn(JSON.stringify({ level, message, ...fields }));

interface Evaluation {
  holds: boolean;
  pattern: unknown;
  value: unknown;
  error?: CriterionError;
}

class Evaluator {
  readonly #ctx: OperatorContext;
  readonly #rule: string | undefined;
  readonly #log: CriteriaLog;
  readonly #logged = new Set<string>();

  constructor(options: MatchOptions) {
    this.#ctx = { now: options.now ?? new Date() };
    this.#rule = options.rule;
    this.#log = options.log ?? defaultLog;
  }

  #problem(key: string, type: string, reason: string, cause?: unknown): CriterionError {
    const error = new CriterionError(key, type, this.#rule, reason, { cause });
    this.#report(error);
    return error;
  }

  #report(error: CriterionError): void {
    if (this.#logged.has(error.message)) return;
    this.#logged.add(error.message);
    this.#log('warn', error.message, { rule: error.rule, criterion: error.criterion, operator: error.operator, code: error.code, reason: error.reason });
  }

  evaluate(key: string, criterion: Criterion, context: TemplateContext): Evaluation {
    const type = String(criterion.type);
    const operator = getOperator(type);
    if (!operator) {
      const error = new UnknownOperatorError(key, type, this.#rule, OPERATOR_NAMES);
      this.#report(error);
      return { holds: false, pattern: criterion.pattern, value: undefined, error };
    }
    let pattern: unknown;
    try {
      pattern = renderCriterionPattern(criterion.pattern, context, `criteria.${key}.pattern`);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return { holds: false, pattern: criterion.pattern, value: undefined, error: this.#problem(key, type, `the pattern does not render: ${error.reason}`, error) };
    }
    let value: unknown;
    try {
      const found = lookupSteps(context, parsePath(criteriaKeyPath(key)));
      // st2 counts a jsonpath that raises on the payload's shape as no match, whatever the operator.
      if (found.mismatch) return { holds: false, pattern, value: undefined };
      value = found.found ? found.value : undefined;
    } catch (error) {
      if (!(error instanceof PathSyntax)) throw error;
      return { holds: false, pattern, value: undefined, error: this.#problem(key, type, `the key is not a path: ${error.message}`, error) };
    }
    const fail = (reason: string, cause?: unknown): Evaluation => ({ holds: false, pattern, value, error: this.#problem(key, type, reason, cause) });
    if (
      (operator.pattern === 'regex' || operator.name === 'matchwildcard') &&
      typeof pattern === 'string' &&
      pattern !== criterion.pattern &&
      pattern.length > RENDERED_PATTERN_MAX_CHARS
    ) {
      return fail(`the rendered pattern has ${pattern.length} characters, more than the ${RENDERED_PATTERN_MAX_CHARS} allowed`);
    }
    if (operator.name === 'search') return this.#search(criterion.condition, pattern, value ?? null, context, fail);
    try {
      return { holds: operator.fn(value ?? null, pattern ?? null, this.#ctx), pattern, value };
    } catch (error) {
      if (!(error instanceof BadPattern)) throw error;
      return fail(error.message, error);
    }
  }

  /**
   * st2's `search`: the value's items (an object is one item) against nested criteria whose keys
   * start with `item.`; `any`/`all` items must match all nested criteria, `any2any`/`all2any` any
   * of them. Inside, templates see `item` (not `trigger`), as in st2.
   */
  #search(
    condition: unknown,
    pattern: unknown,
    value: unknown,
    context: TemplateContext,
    fail: (reason: string) => Evaluation,
  ): Evaluation {
    if (!(SEARCH_CONDITIONS as readonly unknown[]).includes(condition)) {
      return fail(`condition ${JSON.stringify(condition ?? null)} is not one of ${SEARCH_CONDITIONS.join(', ')}`);
    }
    if (!isPlainObject(pattern)) return fail('the pattern of search must be an object of nested criteria');
    // Python iterates what it is given: a dict is wrapped, a string yields its characters.
    const items = isPlainObject(value) ? [value] : Array.isArray(value) ? value : typeof value === 'string' ? Array.from(value) : undefined;
    if (items === undefined) return { holds: false, pattern, value };
    const { trigger: _trigger, item: _item, ...shared } = context;
    const nested = Object.entries(pattern);
    const everyItem = condition === 'all' || condition === 'all2any';
    const everyCriterion = condition === 'all' || condition === 'any';
    const itemMatches = (item: unknown): boolean => {
      const itemContext = { ...shared, item };
      const one = ([k, c]: [string, unknown]) => this.evaluate(k, (isPlainObject(c) ? c : {}) as unknown as Criterion, itemContext).holds;
      return everyCriterion ? nested.every(one) : nested.some(one);
    };
    return { holds: everyItem ? items.every(itemMatches) : items.some(itemMatches), pattern, value };
  }
}

/**
 * Evaluates a rule's criteria against a context such as `{ trigger: payload }`, as st2's rule
 * filter does: all criteria must hold (AND); criteria over an empty payload never hold; each
 * pattern is rendered against the context first (see renderCriterionPattern). Never throws for
 * what a rule or payload holds: a criterion that cannot be evaluated (a pattern RE2 cannot run, a
 * template that does not render, an unknown operator) does not hold, and is logged and reported.
 *
 * @example
 * matchCriteria({ 'trigger.body.n': { type: 'gt', pattern: 0 }, 'trigger.body.n#2': { type: 'lt', pattern: 9 } },
 *   { trigger: { body: { n: 5 } } }); // → { matched: true }
 */
export function matchCriteria(criteria: Criteria, context: TemplateContext, options: MatchOptions = {}): CriteriaResult {
  const entries = Object.entries(criteria);
  const first = entries[0];
  if (first && !pyTruthy(context['trigger'])) {
    return { matched: false, failed: { path: first[0], type: first[1].type, pattern: first[1].pattern, value: undefined } };
  }
  const evaluator = new Evaluator(options);
  for (const [key, criterion] of entries) {
    const { holds, pattern, value, error } = evaluator.evaluate(key, criterion, context);
    if (!holds) return { matched: false, failed: { path: key, type: criterion.type, pattern, value, ...(error ? { error } : {}) } };
  }
  return { matched: true };
}
