import { SEARCH_CONDITIONS, criteriaKeyPath } from './criteria.ts';
import { describeValue, isPlainObject } from './json.ts';
import { OPERATOR_NAMES, getOperator } from './operators.ts';
import { PathSyntax, parsePath } from './path.ts';
import { PythonRegexSyntax } from './python-regex.ts';
import { pyFloat } from './python-values.ts';
import { compilePythonRegex } from './regex.ts';

/** One problem in a rule's criteria; `path` is relative to what was checked (`['pattern']`). */
export interface CriteriaIssue {
  path: string[];
  message: string;
}

const TEMPLATE_MARKERS = /\{\{|\{%|\{#/;
const isTemplate = (pattern: unknown): boolean => typeof pattern === 'string' && TEMPLATE_MARKERS.test(pattern);

/** Why a criteria key is not a path (`trigger.body.items[0`), or undefined when it is one. */
export function checkCriteriaKey(key: string): string | undefined {
  try {
    parsePath(criteriaKeyPath(key));
    return undefined;
  } catch (error) {
    if (!(error instanceof PathSyntax)) throw error;
    return `the key is not a path: ${error.message}`;
  }
}

function expectedString(pattern: unknown, type: string): string {
  const hint = typeof pattern === 'number' ? ' (quote it: YAML reads 3.10 as the number 3.1)' : '';
  return `operator ${type} needs a string pattern, received ${describeValue(pattern)}${hint}`;
}

/**
 * Checks one criterion when its rule is registered, what st2 would only find (or never say) when
 * an event arrives: the operator exists; the pattern is present (but for exists and nexists) and
 * of the kind the operator can use; a regex compiles in RE2 (naming the position of what does
 * not, such as a lookahead); `search` has a known condition and valid nested criteria. A pattern
 * that is a template is checked when it is rendered, at match time.
 */
export function checkCriterion(criterion: unknown): CriteriaIssue[] {
  if (!isPlainObject(criterion)) return [{ path: [], message: `expected {type, pattern}, received ${describeValue(criterion)}` }];
  const type = criterion['type'];
  if (typeof type !== 'string' || type === '') return [{ path: ['type'], message: `required (expected one of ${OPERATOR_NAMES.join(', ')})` }];
  const operator = getOperator(type);
  if (!operator) return [{ path: ['type'], message: `unknown operator "${type}" (expected one of ${OPERATOR_NAMES.join(', ')})` }];
  const pattern = criterion['pattern'];
  const issue = (message: string, path = ['pattern']): CriteriaIssue[] => [{ path, message }];
  if (operator.pattern === 'none') return [];
  if (pattern === undefined || pattern === null) return issue(`required by operator ${type}`);
  if (isTemplate(pattern)) return operator.pattern === 'criteria' ? issue('operator search needs nested criteria, not a template') : [];
  switch (operator.pattern) {
    case 'string':
      return typeof pattern === 'string' ? [] : issue(expectedString(pattern, type));
    case 'regex': {
      if (typeof pattern !== 'string') return issue(expectedString(pattern, type));
      try {
        compilePythonRegex(pattern, operator.regex!.mode, operator.regex!.flags);
        return [];
      } catch (error) {
        if (!(error instanceof PythonRegexSyntax)) throw error;
        return issue(`operator ${type}: not a regular expression RE2 can run: ${error.message} of ${JSON.stringify(pattern)}`);
      }
    }
    case 'seconds':
      return pyFloat(pattern) === undefined ? issue(`operator ${type} needs a number of seconds, received ${describeValue(pattern)}`) : [];
    case 'criteria': {
      const issues: CriteriaIssue[] = [];
      const condition = criterion['condition'];
      if (!(SEARCH_CONDITIONS as readonly unknown[]).includes(condition)) {
        issues.push({ path: ['condition'], message: `operator search needs a condition, one of ${SEARCH_CONDITIONS.join(', ')}; received ${describeValue(condition)}` });
      }
      if (!isPlainObject(pattern)) return [...issues, ...issue(`operator search needs nested criteria (key: {type, pattern}), received ${describeValue(pattern)}`)];
      for (const nested of checkCriteria(pattern)) issues.push({ path: ['pattern', ...nested.path], message: nested.message });
      return issues;
    }
    default:
      return [];
  }
}

/**
 * Checks a whole criteria map (keys and criteria) when its rule is registered; see checkCriterion.
 *
 * @example checkCriteria({ 'trigger.x': { type: 'regex', pattern: '(?=a)' } })
 * // → [{ path: ['trigger.x', 'pattern'], message: 'operator regex: not a regular expression RE2 can run: lookahead … at position 0 of "(?=a)"' }]
 */
export function checkCriteria(criteria: Record<string, unknown>): CriteriaIssue[] {
  const issues: CriteriaIssue[] = [];
  for (const [key, criterion] of Object.entries(criteria)) {
    const keyProblem = checkCriteriaKey(key);
    if (keyProblem) issues.push({ path: [key], message: keyProblem });
    for (const issue of checkCriterion(criterion)) issues.push({ path: [key, ...issue.path], message: issue.message });
  }
  return issues;
}
