/**
 * JSONPath as python-jsonpath-rw 1.4 parses and evaluates it for st2's jsonpath_query: `$`,
 * fields (`a`, `'a b'`, `a,b`, `*`), `[n]`, `[*]`, `[start:end]`, `.`, `..`, `|`, `where` and
 * `` `this` ``, with jsonpath-rw's precedence (`|` binds tighter than `.`). A dict or a scalar
 * under a slice counts as a one-item list, as there.
 */
import { isDict, valueError } from '../jinja/index.ts';

type Node =
  | { kind: 'root' | 'this' }
  | { kind: 'fields'; names: string[] }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'child' | 'descend' | 'union' | 'where'; left: Node; right: Node };

// jsonpath-rw's precedence table: later binds tighter.
const PRECEDENCE: Record<string, number> = { '..': 1, '.': 2, '|': 3, '&': 4, where: 5 };
const TOKEN = /\s*(\.\.|[$.[\]*,:|&()]|-?\d+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|[a-zA-Z_@][a-zA-Z0-9_@-]*)/y;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m) {
      if (/^\s*$/.test(query.slice(at))) break;
      throw valueError(`JSONPath: unexpected character at position ${at}`);
    }
    tokens.push(m[1] as string);
  }
  return tokens;
}

class Parser {
  private i = 0;
  private readonly tokens: string[];

  constructor(tokens: string[]) {
    this.tokens = tokens;
  }

  parse(): Node {
    const node = this.expression(0);
    if (this.i < this.tokens.length) throw valueError(`JSONPath: unexpected ${JSON.stringify(this.tokens[this.i])}`);
    return node;
  }

  private expression(minPrecedence: number): Node {
    let left = this.postfix(this.atom());
    for (;;) {
      const op = this.tokens[this.i];
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.i += 1;
      if (op === '&') throw valueError('JSONPath: & is not supported');
      const right = this.expression(precedence + 1);
      const kind = op === '..' ? 'descend' : op === '.' ? 'child' : op === '|' ? 'union' : 'where';
      left = { kind, left, right };
    }
  }

  private atom(): Node {
    const token = this.tokens[this.i++];
    if (token === undefined) throw valueError('JSONPath: unexpected end of the query');
    if (token === '$') return { kind: 'root' };
    if (token === '`this`') return { kind: 'this' };
    if (token === '(') {
      const inner = this.expression(0);
      if (this.tokens[this.i++] !== ')') throw valueError('JSONPath: missing )');
      return inner;
    }
    if (token === '[') return this.bracket();
    const names = [this.fieldName(token)];
    while (this.tokens[this.i] === ',') {
      this.i += 1;
      names.push(this.fieldName(this.tokens[this.i++]));
    }
    return { kind: 'fields', names };
  }

  private postfix(node: Node): Node {
    let out = node;
    while (this.tokens[this.i] === '[') {
      this.i += 1;
      out = { kind: 'child', left: out, right: this.bracket() };
    }
    return out;
  }

  private fieldName(token: string | undefined): string {
    if (token === undefined) throw valueError('JSONPath: unexpected end of the query');
    if (/^['"]/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
    if (token === '*' || /^[a-zA-Z_@]/.test(token)) return token;
    throw valueError(`JSONPath: unexpected ${JSON.stringify(token)}`);
  }

  /** After `[`: `*`, `n`, `start:end[:step]` or field names, up to `]`. */
  private bracket(): Node {
    const inner: string[] = [];
    while (this.i < this.tokens.length && this.tokens[this.i] !== ']') inner.push(this.tokens[this.i++] as string);
    if (this.tokens[this.i++] !== ']') throw valueError('JSONPath: missing ]');
    if (inner.length === 1 && inner[0] === '*') return { kind: 'slice' };
    if (inner.length === 1 && /^-?\d+$/.test(inner[0] as string)) return { kind: 'index', index: Number(inner[0]) };
    if (inner.includes(':')) {
      const parts: (number | undefined)[] = [undefined];
      for (const t of inner) {
        if (t === ':') parts.push(undefined);
        else parts[parts.length - 1] = Number(t);
      }
      const [start, end, step] = parts;
      return { kind: 'slice', ...(start !== undefined && { start }), ...(end !== undefined && { end }), ...(step !== undefined && { step }) };
    }
    return { kind: 'fields', names: inner.filter((t) => t !== ',').map((t) => this.fieldName(t)) };
  }
}

function find(node: Node, value: unknown, root: unknown): unknown[] {
  switch (node.kind) {
    case 'root':
      return [root];
    case 'this':
      return [value];
    case 'fields': {
      if (!isDict(value)) return [];
      const names = node.names.includes('*') ? Object.keys(value) : node.names;
      return names.filter((n) => Object.hasOwn(value, n)).map((n) => value[n]);
    }
    case 'index':
      if (!Array.isArray(value) || value.length === 0 || value.length <= node.index) return [];
      return node.index >= -value.length ? [value.at(node.index)] : [];
    case 'slice': {
      const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
      return pySlice(list, node.start, node.end, node.step ?? 1);
    }
    case 'child':
      return find(node.left, value, root).flatMap((match) => find(node.right, match, root));
    case 'union':
      return [...find(node.left, value, root), ...find(node.right, value, root)];
    case 'where':
      return find(node.left, value, root).filter((match) => find(node.right, match, root).length > 0);
    case 'descend': {
      const right = node.right;
      const visit = (datum: unknown): unknown[] => {
        const here = find(right, datum, root);
        const below = Array.isArray(datum) ? datum.flatMap(visit) : isDict(datum) ? Object.values(datum).flatMap(visit) : [];
        return [...here, ...below];
      };
      return find(node.left, value, root).flatMap(visit);
    }
  }
}

function pySlice(list: unknown[], start: number | undefined, end: number | undefined, step: number): unknown[] {
  const n = list.length;
  const norm = (v: number | undefined, fallback: number) => (v === undefined ? fallback : v < 0 ? Math.max(v + n, step < 0 ? -1 : 0) : Math.min(v, step < 0 ? n - 1 : n));
  const out: unknown[] = [];
  const from = norm(start, step > 0 ? 0 : n - 1);
  const to = norm(end, step > 0 ? n : -1);
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(list[i]);
  return out;
}

/** The values `query` finds in `value`, or null when it finds none (st2's jsonpath_query). */
export function jsonpathQuery(value: unknown, query: string): unknown[] | null {
  const matches = find(new Parser(tokenize(query)).parse(), value, value);
  return matches.length === 0 ? null : matches;
}
