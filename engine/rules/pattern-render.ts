import { renderTemplateText } from './templates.ts';
import type { TemplateContext } from './templates.ts';

// st2 (st2reactor/rules/filter.py) renders a criterion's pattern in two tries. First, every
// `{{ expr }}` on a line becomes `{{ expr | to_complex }}` (JSON of the value) and the result is
// read as JSON: `{{ trigger.count }}` stays a number, a `{% for %}` that writes `[1, 2]` becomes a
// list. When that text is not JSON, the pattern is rendered again as written and the text is
// the pattern. This expression is st2's own (greedy, one line: `[^\n]` is Python's `.`).
const EXPRESSION = /(\{\{)\s*([^\n]*)\s*(\}\})/g;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A criterion's pattern as st2 renders it against the context (`{ trigger: payload }`, or
 * `{ item }` inside `search`): a non-string is used as written (lists and objects are not
 * rendered); a string with `{{ … }}` keeps the JSON type of what it renders; other strings are
 * rendered to text.
 *
 * @example renderCriterionPattern('{{ trigger.limit }}', { trigger: { limit: 4 } }, 'p') // 4
 * @throws TemplateError naming `field` when the template does not render (an undefined value
 *   given to `to_complex`, a syntax error).
 */
export function renderCriterionPattern(pattern: unknown, context: TemplateContext, field: string): unknown {
  if (typeof pattern !== 'string') return pattern;
  if (pattern.match(EXPRESSION)) {
    const complex = renderTemplateText(pattern.replace(EXPRESSION, '$1$2 | to_complex$3'), context, field);
    const parsed = parseJson(complex);
    if (parsed.ok) return parsed.value;
  }
  return renderTemplateText(pattern, context, field);
}
