import { CriterionError, TemplateError, UnknownOperatorError } from './errors.ts';
import { BadPattern, OPERATOR_NAMES, getOperator } from './operators.ts';
import type { Operator } from './operators.ts';
import { lookupPath } from './path.ts';
import { renderValue } from './templates.ts';
import type { TemplateContext } from './templates.ts';

/** One criterion of a rule: an operator (`type`) and, for most operators, a `pattern`. */
export interface Criterion {
  type: string;
  pattern?: unknown;
}

/** A rule's criteria: dotted path into the context (`trigger.body.status`) → criterion. */
export type Criteria = Record<string, Criterion>;

/** The first criterion that did not hold, with the values it compared. */
export interface FailedCriterion {
  path: string;
  type: string;
  /** The pattern after template rendering. */
  pattern: unknown;
  /** The value found at `path`; undefined when the path does not exist. */
  value: unknown;
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
}

/**
 * Evaluates a rule's criteria against a context such as `{ trigger: payload }`. All criteria must
 * hold (st2: AND). A string pattern is a template rendered against the same context first.
 *
 * @example
 * matchCriteria({ 'trigger.body.status': { type: 'equals', pattern: 'ok' } },
 *   { trigger: { body: { status: 'ok' } } }); // → { matched: true }
 * @throws UnknownOperatorError naming the criterion, before any criterion is evaluated.
 * @throws CriterionError when a pattern cannot be used (invalid regex) or its template fails.
 */
export function matchCriteria(criteria: Criteria, context: TemplateContext, options: MatchOptions = {}): CriteriaResult {
  const ctx = { now: options.now ?? new Date() };
  const resolved: [string, Criterion, Operator][] = Object.entries(criteria).map(([path, criterion]) => {
    const operator = getOperator(String(criterion.type));
    if (!operator) throw new UnknownOperatorError(path, String(criterion.type), options.rule, OPERATOR_NAMES);
    return [path, criterion, operator];
  });
  for (const [path, criterion, operator] of resolved) {
    let pattern: unknown;
    try {
      pattern = renderValue(criterion.pattern, context, `criteria.${path}.pattern`);
    } catch (error) {
      const reason = error instanceof TemplateError ? error.message : String(error);
      throw new CriterionError(path, criterion.type, options.rule, reason, { cause: error });
    }
    const { value } = lookupPath(context, path);
    let holds: boolean;
    try {
      holds = operator.fn(value, pattern, ctx);
    } catch (error) {
      if (!(error instanceof BadPattern)) throw error;
      throw new CriterionError(path, criterion.type, options.rule, error.message, { cause: error });
    }
    if (!holds) return { matched: false, failed: { path, type: criterion.type, pattern, value } };
  }
  return { matched: true };
}
