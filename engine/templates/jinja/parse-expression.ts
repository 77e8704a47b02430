import type { Arguments, CompareOp, Expr } from './ast.ts';
import type { Token } from './lexer.ts';
import { TokenStream, describe } from './token-stream.ts';
import { makeFloat } from './values.ts';

const COMPARE: Record<string, CompareOp> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lteq', '>': 'gt', '>=': 'gteq' };
const CONSTANTS: Record<string, unknown> = { true: true, false: false, none: null, True: true, False: false, None: null };
const PRIMARY_START = new Set(['name', 'string', 'int', 'float']);

/** Parses Jinja expressions with jinja2's precedence (parser.py: parse_condexpr → parse_unary). */
export class ExpressionParser extends TokenStream {
  /** expression := condexpr (`a if b else c`), or without it where jinja2 forbids it. */
  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): Expr {
    const pos = this.at();
    let expr = this.parseOr();
    while (this.skipIf('name', 'if')) {
      const test = this.parseOr();
      const otherwise = this.skipIf('name', 'else') ? this.parseCondexpr() : undefined;
      expr = otherwise === undefined ? { kind: 'cond', pos, test, then: expr } : { kind: 'cond', pos, test, then: expr, otherwise };
    }
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      const pos = this.at(this.next());
      left = { kind: 'or', pos, left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      const pos = this.at(this.next());
      left = { kind: 'and', pos, left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Expr {
    if (this.isName('not')) {
      const pos = this.at(this.next());
      return { kind: 'not', pos, node: this.parseNot() };
    }
    return this.parseCompare();
  }

  private parseCompare(): Expr {
    const pos = this.at();
    const expr = this.parseMath1();
    const ops: [CompareOp, Expr][] = [];
    for (;;) {
      const op = this.current.type === 'op' ? COMPARE[this.current.value] : undefined;
      if (op) {
        this.next();
        ops.push([op, this.parseMath1()]);
      } else if (this.skipIf('name', 'in')) ops.push(['in', this.parseMath1()]);
      else if (this.isName('not') && this.look().type === 'name' && this.look().value === 'in') {
        this.index += 2;
        ops.push(['notin', this.parseMath1()]);
      } else break;
    }
    return ops.length === 0 ? expr : { kind: 'compare', pos, expr, ops };
  }

  private parseMath1(): Expr {
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const token = this.next();
      left = { kind: 'binop', pos: this.at(token), op: token.value as '+' | '-', left, right: this.parseConcat() };
    }
    return left;
  }

  private parseConcat(): Expr {
    const pos = this.at();
    const items = [this.parseMath2()];
    while (this.skipIf('op', '~')) items.push(this.parseMath2());
    return items.length === 1 ? (items[0] as Expr) : { kind: 'concat', pos, items };
  }

  private parseMath2(): Expr {
    let left = this.parsePow();
    while (['*', '/', '//', '%'].some((op) => this.isOp(op))) {
      const token = this.next();
      left = { kind: 'binop', pos: this.at(token), op: token.value as '*', left, right: this.parsePow() };
    }
    return left;
  }

  private parsePow(): Expr {
    let left = this.parseUnary();
    while (this.isOp('**')) {
      const token = this.next();
      left = { kind: 'binop', pos: this.at(token), op: '**', left, right: this.parseUnary() };
    }
    return left;
  }

  protected parseUnary(withFilter = true): Expr {
    const pos = this.at();
    let node: Expr;
    if (this.skipIf('op', '-')) node = { kind: 'neg', pos, node: this.parseUnary(false) };
    else if (this.skipIf('op', '+')) node = { kind: 'pos', pos, node: this.parseUnary(false) };
    else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  private parsePrimary(): Expr {
    const token = this.current;
    const pos = this.at(token);
    if (token.type === 'name') {
      this.next();
      if (Object.hasOwn(CONSTANTS, token.value)) return { kind: 'const', pos, value: CONSTANTS[token.value] };
      return { kind: 'name', pos, name: token.value };
    }
    if (token.type === 'string') {
      let value = this.next().value;
      while (this.is('string')) value += this.next().value;
      return { kind: 'const', pos, value };
    }
    if (token.type === 'int' || token.type === 'float') {
      this.next();
      return { kind: 'const', pos, value: parseNumber(token) };
    }
    if (this.skipIf('op', '(')) {
      const expr = this.parseTuple({ explicitParens: true });
      this.expect('op', ')');
      return expr;
    }
    if (this.isOp('[')) return this.parseList();
    if (this.isOp('{')) return this.parseDict();
    if (token.type === 'eof') throw this.fail('unexpected end of template, expected an expression.');
    throw this.fail(`unexpected '${describe(token)}'`);
  }

  /** Comma-separated expressions; one without a comma is itself, otherwise a tuple. */
  parseTuple(options: { explicitParens?: boolean; withCondexpr?: boolean; simplified?: boolean; endNames?: string[] } = {}): Expr {
    const pos = this.at();
    const items: Expr[] = [];
    let sawComma = false;
    const ends = () =>
      this.is('var_end') || this.is('block_end') || this.isOp(')') || this.is('eof') || (options.endNames ?? []).some((n) => this.isName(n));
    for (;;) {
      if (items.length > 0) {
        if (!this.skipIf('op', ',')) break;
        sawComma = true;
      }
      if (ends()) break;
      items.push(options.simplified ? this.parsePrimary() : this.parseExpression(options.withCondexpr ?? true));
    }
    if (!sawComma && items.length === 1) return items[0] as Expr;
    if (items.length === 0 && !options.explicitParens) throw this.fail(`Expected an expression, got '${describe(this.current)}'`);
    return { kind: 'tuple', pos, items };
  }

  private parseList(): Expr {
    const pos = this.at(this.expect('op', '['));
    const items: Expr[] = [];
    while (!this.isOp(']')) {
      if (items.length > 0) this.expect('op', ',');
      if (this.isOp(']')) break;
      items.push(this.parseExpression());
    }
    this.expect('op', ']');
    return { kind: 'list', pos, items };
  }

  private parseDict(): Expr {
    const pos = this.at(this.expect('op', '{'));
    const pairs: [Expr, Expr][] = [];
    while (!this.isOp('}')) {
      if (pairs.length > 0) this.expect('op', ',');
      if (this.isOp('}')) break;
      const key = this.parseExpression();
      this.expect('op', ':');
      pairs.push([key, this.parseExpression()]);
    }
    this.expect('op', '}');
    return { kind: 'dict', pos, pairs };
  }

  private parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilter(node);
      else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    const token = this.next();
    const pos = this.at(token);
    if (token.value === '.') {
      const attr = this.next();
      if (attr.type === 'name') return { kind: 'getattr', pos, node, attr: attr.value };
      if (attr.type === 'int') return { kind: 'getitem', pos, node, arg: { kind: 'const', pos, value: parseNumber(attr) } };
      throw this.fail('expected name or number', attr);
    }
    const args: Expr[] = [];
    while (!this.isOp(']')) {
      if (args.length > 0) this.expect('op', ',');
      args.push(this.parseSubscribed());
    }
    this.expect('op', ']');
    const arg: Expr = args.length === 1 ? (args[0] as Expr) : { kind: 'tuple', pos, items: args };
    return { kind: 'getitem', pos, node, arg };
  }

  private parseSubscribed(): Expr {
    const pos = this.at();
    const parts: (Expr | undefined)[] = [];
    if (this.isOp(':')) {
      this.next();
      parts.push(undefined);
    } else {
      const first = this.parseExpression();
      if (!this.skipIf('op', ':')) return first;
      parts.push(first);
    }
    parts.push(this.isOp(']') || this.isOp(',') || this.isOp(':') ? undefined : this.parseExpression());
    if (this.skipIf('op', ':')) parts.push(this.isOp(']') || this.isOp(',') ? undefined : this.parseExpression());
    const [start, stop, step] = parts;
    return { kind: 'slice', pos, ...(start && { start }), ...(stop && { stop }), ...(step && { step }) };
  }

  protected parseArguments(): Arguments {
    this.expect('op', '(');
    const out: Arguments = { args: [], kwargs: [] };
    while (!this.isOp(')')) {
      if (out.args.length + out.kwargs.length > 0 || out.dynArgs || out.dynKwargs) this.expect('op', ',');
      if (this.isOp(')')) break;
      if (this.skipIf('op', '*')) out.dynArgs = this.parseExpression();
      else if (this.skipIf('op', '**')) out.dynKwargs = this.parseExpression();
      else if (this.is('name') && this.look().type === 'op' && this.look().value === '=') {
        const key = this.next().value;
        this.next();
        out.kwargs.push([key, this.parseExpression()]);
      } else {
        if (out.kwargs.length > 0 || out.dynKwargs) throw this.fail('Invalid argument syntax');
        out.args.push(this.parseExpression());
      }
    }
    this.expect('op', ')');
    return out;
  }

  private parseCall(node: Expr): Expr {
    const pos = this.at();
    return { kind: 'call', pos, node, ...this.parseArguments() };
  }

  /** `| name(args)`; `node` is undefined for `{% filter %}` blocks. */
  protected parseFilter(node: Expr | undefined, startInline = true): Expr {
    if (startInline) this.expect('op', '|');
    const token = this.expect('name');
    let name = token.value;
    while (this.isOp('.') && this.look().type === 'name') {
      this.next();
      name += `.${this.next().value}`;
    }
    if (!this.names.filters.has(name)) this.names.filters.set(name, this.at(token));
    const args: Arguments = this.isOp('(') ? this.parseArguments() : { args: [], kwargs: [] };
    return { kind: 'filter', pos: this.at(token), node, name, ...args };
  }

  private parseTest(node: Expr): Expr {
    const isToken = this.next();
    const negated = this.skipIf('name', 'not');
    const token = this.expect('name');
    let name = token.value;
    while (this.isOp('.') && this.look().type === 'name') {
      this.next();
      name += `.${this.next().value}`;
    }
    if (!this.names.tests.has(name)) this.names.tests.set(name, this.at(token));
    let args: Arguments = { args: [], kwargs: [] };
    if (this.isOp('(')) args = this.parseArguments();
    else if (
      (PRIMARY_START.has(this.current.type) || this.isOp('(') || this.isOp('[') || this.isOp('{')) &&
      !['else', 'or', 'and'].some((word) => this.isName(word))
    ) {
      if (this.isName('is')) throw this.fail('You cannot chain multiple tests with is');
      args = { args: [this.parsePostfix(this.parsePrimary())], kwargs: [] };
    }
    const test: Expr = { kind: 'test', pos: this.at(isToken), node, name, ...args };
    return negated ? { kind: 'not', pos: this.at(isToken), node: test } : test;
  }
}

function parseNumber(token: Token): unknown {
  const text = token.value.replace(/_/g, '');
  if (token.type === 'float') return makeFloat(Number(text));
  if (/^0[bB]/.test(text)) return parseInt(text.slice(2), 2);
  if (/^0[oO]/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
  return Number(text);
}
