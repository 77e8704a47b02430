/**
 * JSONPath as python-jsonpath-rw 1.4 evaluates it for st2's jsonpath_query: `$`, `a.b`, `a..b`,
 * `*`, `[n]`, `[*]`, `[start:end]`, `a,b` and `|`. A dict under `[*]` counts as a one-item list,
 * as jsonpath-rw does. `where`, `&` and the backquoted operators are refused.
 */
import { isDict, valueError } from '../jinja/index.ts';

type Step = { kind: 'root' } | { kind: 'fields'; names: string[] } | { kind: 'index'; index: number } | { kind: 'slice'; start?: number; end?: number } | { kind: 'descend'; path: Step[] };
type Path = Step[][];

const TOKEN = /\s*(\.\.|[$.[\]*,:|&()]|-?\d+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|[a-zA-Z_@][a-zA-Z0-9_@-]*|where\b)/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m) {
      if (/^\s*$/.test(query.slice(at))) break;
      throw valueError(`JSONPath: unexpected character at position ${at} of ${JSON.stringify(query)}`);
    }
    tokens.push(m[1] as string);
  }
  return tokens;
}

function name(token: string | undefined): string {
  if (token === undefined) throw valueError('JSONPath: unexpected end of the query');
  if (/^['"]/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^[a-zA-Z_@*]/.test(token) && token !== 'where') return token;
  throw valueError(`JSONPath: unexpected ${JSON.stringify(token)}`);
}

/** Parses a query into alternatives (split on `|`) of steps. */
function parse(query: string): Path {
  const tokens = tokenize(query);
  let i = 0;
  const alternatives: Path = [];
  let steps: Step[] = [];
  const fields = (): Step => {
    const names = [name(tokens[i++])];
    while (tokens[i] === ',') {
      i += 1;
      names.push(name(tokens[i++]));
    }
    return { kind: 'fields', names };
  };
  while (i < tokens.length) {
    const token = tokens[i] as string;
    if (token === '$') {
      steps.push({ kind: 'root' });
      i += 1;
    } else if (token === '.') {
      i += 1;
      if (tokens[i] !== '[') steps.push(fields());
    } else if (token === '..') {
      i += 1;
      const rest: Step[] = tokens[i] === '[' ? [] : [fields()];
      steps.push({ kind: 'descend', path: rest });
    } else if (token === '[') {
      i += 1;
      const inner: string[] = [];
      while (i < tokens.length && tokens[i] !== ']') inner.push(tokens[i++] as string);
      if (tokens[i] !== ']') throw valueError('JSONPath: missing ]');
      i += 1;
      const step = bracket(inner);
      const last = steps.at(-1);
      if (last?.kind === 'descend' && last.path.length === 0) last.path.push(step);
      else steps.push(step);
    } else if (token === '|') {
      alternatives.push(steps);
      steps = [];
      i += 1;
    } else if (token === '&' || token === 'where' || token.startsWith('`') || token === '(' || token === ')') {
      throw valueError(`JSONPath: ${JSON.stringify(token)} is not supported`);
    } else steps.push(fields());
  }
  alternatives.push(steps);
  return alternatives;
}

function bracket(inner: string[]): Step {
  if (inner.length === 1 && inner[0] === '*') return { kind: 'slice' };
  if (inner.length === 1 && /^-?\d+$/.test(inner[0] as string)) return { kind: 'index', index: Number(inner[0]) };
  const colon = inner.indexOf(':');
  if (colon >= 0 && inner.length <= 3) {
    const start = inner[colon - 1];
    const end = inner[colon + 1];
    return { kind: 'slice', ...(start !== undefined && { start: Number(start) }), ...(end !== undefined && { end: Number(end) }) };
  }
  const names = inner.filter((t) => t !== ',').map(name);
  return { kind: 'fields', names };
}

function apply(step: Step, value: unknown, root: unknown): unknown[] {
  switch (step.kind) {
    case 'root':
      return [root];
    case 'fields': {
      if (!isDict(value)) return [];
      const names = step.names.includes('*') ? Object.keys(value) : step.names;
      return names.filter((n) => Object.hasOwn(value, n)).map((n) => value[n]);
    }
    case 'index': {
      if (!Array.isArray(value) || value.length <= step.index) return [];
      const i = step.index < 0 ? value.length + step.index : step.index;
      return i >= 0 ? [value[i]] : [];
    }
    case 'slice': {
      const list = isDict(value) || typeof value === 'string' || typeof value === 'number' ? [value] : Array.isArray(value) ? value : [];
      const norm = (n: number | undefined, fallback: number) => (n === undefined ? fallback : n < 0 ? Math.max(0, list.length + n) : Math.min(n, list.length));
      return list.slice(norm(step.start, 0), norm(step.end, list.length));
    }
    case 'descend': {
      const out: unknown[] = [];
      const visit = (node: unknown): void => {
        out.push(...run(step.path, node, root));
        if (Array.isArray(node)) node.forEach(visit);
        else if (isDict(node)) Object.values(node).forEach(visit);
      };
      visit(value);
      return out;
    }
  }
}

function run(steps: Step[], value: unknown, root: unknown): unknown[] {
  let current = [value];
  for (const step of steps) current = current.flatMap((v) => apply(step, v, root));
  return current;
}

/** The values `query` finds in `value`, or null when it finds none (st2's jsonpath_query). */
export function jsonpathQuery(value: unknown, query: string): unknown[] | null {
  const matches = parse(query).flatMap((steps) => run(steps, value, value));
  return matches.length === 0 ? null : matches;
}
