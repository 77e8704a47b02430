import { AttuneError } from '../errors/index.ts';

/** Base of every error raised while evaluating rules: criteria, templates, event patterns. */
export class RulesError extends AttuneError {
  override readonly code: string = 'invalid_rule';
  override readonly status: number = 400;
  override name = 'RulesError';
}

/** A criterion names an operator Attune does not know. Not retryable: the rule is wrong. */
export class UnknownOperatorError extends RulesError {
  override name = 'UnknownOperatorError';
  /** The criterion key, e.g. `trigger.body.status`. */
  readonly criterion: string;
  readonly operator: string;
  readonly rule: string | undefined;
  constructor(criterion: string, operator: string, rule: string | undefined, known: readonly string[]) {
    super(
      `${rule === undefined ? '' : `rule ${rule}: `}criterion "${criterion}": unknown operator "${operator}" ` +
        `(expected one of ${known.join(', ')})`,
    );
    this.criterion = criterion;
    this.operator = operator;
    this.rule = rule;
  }
}

/** A criterion could not be evaluated (e.g. its pattern is not a valid regular expression). */
export class CriterionError extends RulesError {
  override name = 'CriterionError';
  readonly criterion: string;
  readonly operator: string;
  readonly rule: string | undefined;
  constructor(criterion: string, operator: string, rule: string | undefined, reason: string, options?: { cause?: unknown }) {
    super(`${rule === undefined ? '' : `rule ${rule}: `}criterion "${criterion}" (${operator}): ${reason}`, options);
    this.criterion = criterion;
    this.operator = operator;
    this.rule = rule;
  }
}

/** A template failed to compile or render. `parameter` is the dotted path of the templated value. */
export class TemplateError extends RulesError {
  override name = 'TemplateError';
  readonly parameter: string;
  readonly template: string;
  constructor(parameter: string, template: string, reason: string, options?: { cause?: unknown }) {
    super(`parameter "${parameter}": template error: ${reason}`, options);
    this.parameter = parameter;
    this.template = template;
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
