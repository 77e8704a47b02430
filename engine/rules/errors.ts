import { AttuneError } from '../errors/index.ts';

/** Base of every error raised while evaluating rules: criteria, templates, event patterns. */
export class RulesError extends AttuneError {
  override readonly code: string = 'invalid_rule';
  override readonly status: number = 400;
  override name = 'RulesError';
}

const ruleAndKey = (rule: string | undefined, criterion: string) => `${rule === undefined ? '' : `rule ${rule}: `}criterion "${criterion}"`;

/**
 * A criterion could not be evaluated, so it does not hold: its pattern is not a regex RE2 can run,
 * its template does not render, its value is past the bound matched, its key is not a path.
 * Raised where an answer is needed at once; the criteria evaluator reports it (logged, and on the
 * failed criterion) without throwing. Names the rule, the criteria key and the operator.
 */
export class CriterionError extends RulesError {
  override name = 'CriterionError';
  override readonly code: string = 'criterion_not_evaluated';
  /** The criteria key as written, e.g. `trigger.body.status#2`. */
  readonly criterion: string;
  /** The operator as written in the rule's `type`. */
  readonly operator: string;
  readonly rule: string | undefined;
  /** Why, without the rule and key: `not a regular expression RE2 can run: … at position 3`. */
  readonly reason: string;
  constructor(criterion: string, operator: string, rule: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(`${ruleAndKey(rule, criterion)} (${operator}): ${reason}`, { ...options, field: `criteria.${criterion}` });
    this.criterion = criterion;
    this.operator = operator;
    this.rule = rule;
    this.reason = reason;
  }
}

/** A criterion names an operator Attune does not know. Not retryable: the rule is wrong. */
export class UnknownOperatorError extends CriterionError {
  override name = 'UnknownOperatorError';
  override readonly code: string = 'unknown_operator';
  constructor(criterion: string, operator: string, rule: string | undefined, known: readonly string[]) {
    super(criterion, operator, rule, `unknown operator "${operator}" (expected one of ${known.join(', ')})`);
  }
}

/** A template failed to compile or render. `parameter` is the dotted path of the templated value. */
export class TemplateError extends RulesError {
  override name = 'TemplateError';
  readonly parameter: string;
  readonly template: string;
  /** What went wrong, without the parameter: `filter not found: nosuchfilter`. */
  readonly reason: string;
  constructor(parameter: string, template: string, reason: string, options?: { cause?: unknown }) {
    super(`parameter "${parameter}": template error: ${reason}`, options);
    this.parameter = parameter;
    this.template = template;
    this.reason = reason;
  }
}

/** One problem found in an EventBridge event pattern; `path` is dotted, '' for the root. */
export interface EventPatternIssue {
  path: string;
  message: string;
}

/** An EventBridge event pattern is malformed (AWS would reject it too). */
export class EventPatternError extends RulesError {
  override name = 'EventPatternError';
  readonly issues: EventPatternIssue[];
  constructor(issues: EventPatternIssue[]) {
    super(`invalid event pattern: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}
