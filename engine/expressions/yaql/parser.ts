import type { ArgNode, CallNode, Node } from './ast.ts';
import { YaqlLimitError, YaqlSyntaxError } from './errors.ts';
import type { YaqlLocation } from './errors.ts';
import { tokenize } from './lexer.ts';
import type { Token } from './lexer.ts';
import { MAX_EXPRESSION_CHARS, MAX_NESTING_DEPTH } from './limits.ts';
import { PyFloat } from './values.ts';

/**
 * Binding power of each binary operator, from yaql 1.1's operator table (`factory.py`), loosest
 * first: `->`, `or`, `and`, (`not`), comparisons and `in`, `+ -`, `* / mod`, `=~ !~`, (unary `+ -`),
 * indexing, `.` and `?.`. `->` is right-associative, every other one left-associative.
 */
const BINARY: Record<string, number> = {
  '->': 10,
  or: 20,
  and: 30,
  '>': 50,
  '<': 50,
  '>=': 50,
  '<=': 50,
  '!=': 50,
  '=': 50,
  in: 50,
  '+': 60,
  '-': 60,
  '*': 70,
  '/': 70,
  mod: 70,
  '=~': 80,
  '!~': 80,
  '.': 110,
  '?.': 110,
};
const NOT_OPERAND = 40;
const UNARY_OPERAND = 90;
const INDEX = 100;
const RIGHT_ASSOCIATIVE = new Set(['->']);
// yaql names `=` and `!=` by alias, every other operator `#operator_<symbol>`.
const OPERATOR_FUNCTION: Record<string, string> = { '=': '*equal', '!=': '*not_equal' };

/**
 * Parses one YAQL expression (without `<% %>`) into a tree. Throws {@link YaqlSyntaxError} naming
 * what was expected and where, and {@link YaqlLimitError} for input past the length or nesting bounds.
 *
 * @param location what messages quote and where `source` starts in it; defaults to `source` itself.
 * @example parse('ctx(vms).select($.name)')
 */
export function parse(source: string, location: YaqlLocation = { expression: source, position: 0 }): Node {
  if (source.length > MAX_EXPRESSION_CHARS) {
    throw new YaqlLimitError(`expression is ${source.length} characters long, over the limit of ${MAX_EXPRESSION_CHARS}`, location);
  }
  return new Parser(tokenize(source, location, true), location).parseAll();
}

class Parser {
  private index = 0;
  private depth = 0;
  private readonly tokens: Token[];
  private readonly location: YaqlLocation;

  constructor(tokens: Token[], location: YaqlLocation) {
    this.tokens = tokens;
    this.location = location;
  }

  parseAll(): Node {
    if (this.peek().type === 'end') this.fail('empty expression', this.peek());
    const node = this.expression(0);
    const next = this.peek();
    if (next.type !== 'end') this.fail(`unexpected ${describe(next)}, expected an operator or the end`, next);
    return node;
  }

  private peek(): Token {
    const token = this.tokens[this.index] as Token;
    if (token.error) throw token.error;
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private at(pos: number): YaqlLocation {
    return { expression: this.location.expression, position: this.location.position + pos };
  }

  private fail(reason: string, token: Token): never {
    throw new YaqlSyntaxError(reason, 'YaqlGrammarException', this.at(token.pos));
  }

  private isPunct(token: Token, text: string): boolean {
    return token.type === 'punct' && token.text === text;
  }

  private expect(text: string): Token {
    const token = this.peek();
    if (!this.isPunct(token, text)) {
      this.fail(token.type === 'end' ? `expected '${text}'` : `expected '${text}', found ${describe(token)}`, token);
    }
    return this.next();
  }

  /** Pratt loop: a prefix, then binary operators and indexing that bind tighter than `minPower`. */
  private expression(minPower: number): Node {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw new YaqlLimitError(`expression nests deeper than ${MAX_NESTING_DEPTH} levels`, this.at(this.peek().pos));
    }
    let left = this.prefix();
    let chain = 0;
    for (;;) {
      const token = this.peek();
      if (token.type === 'op' && BINARY[token.text] !== undefined) {
        const power = BINARY[token.text] as number;
        if (RIGHT_ASSOCIATIVE.has(token.text) ? power < minPower : power <= minPower) break;
        this.next();
        const right = this.expression(RIGHT_ASSOCIATIVE.has(token.text) ? power - 1 : power);
        const name = OPERATOR_FUNCTION[token.text] ?? `#operator_${token.text}`;
        left = { type: 'call', name, callKind: 'operator', args: [left, right], pos: token.pos };
      } else if (this.isPunct(token, '[') && INDEX > minPower) {
        this.next();
        const args = this.args(']');
        left = { type: 'call', name: '#indexer', callKind: 'index', args: [left, ...args], pos: token.pos };
      } else {
        break;
      }
      // A long chain (a.b.c.…) nests the tree as deep as it is long: bound it like parentheses.
      chain += 1;
      if (this.depth + chain > MAX_NESTING_DEPTH) {
        throw new YaqlLimitError(`expression nests deeper than ${MAX_NESTING_DEPTH} levels`, this.at(token.pos));
      }
    }
    this.depth -= 1;
    return left;
  }

  private prefix(): Node {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { type: 'constant', value: token.isFloat ? new PyFloat(token.value as number) : token.value, pos: token.pos };
      case 'string':
        return { type: 'constant', value: token.text, pos: token.pos };
      case 'true':
        return { type: 'constant', value: true, pos: token.pos };
      case 'false':
        return { type: 'constant', value: false, pos: token.pos };
      case 'null':
        return { type: 'constant', value: null, pos: token.pos };
      case 'keyword':
        return { type: 'keyword', name: token.text, pos: token.pos };
      case 'dollar':
        return { type: 'variable', name: token.text, pos: token.pos };
      case 'func':
        return { type: 'call', name: token.text, callKind: 'function', args: this.args(')'), pos: token.pos };
      case 'op':
        if (token.text === '-' || token.text === '+' || token.text === 'not') {
          const operand = this.expression(token.text === 'not' ? NOT_OPERAND : UNARY_OPERAND);
          return { type: 'call', name: `#unary_operator_${token.text}`, callKind: 'operator', args: [operand], pos: token.pos };
        }
        break;
      case 'punct':
        if (token.text === '(') {
          const expr = this.expression(0);
          this.expect(')');
          return { type: 'wrap', expr, pos: token.pos };
        }
        if (token.text === '[') return this.literal('#list', 'list', ']', token);
        if (token.text === '{') return this.literal('#map', 'map', '}', token);
        break;
      default:
        break;
    }
    this.fail(token.type === 'end' ? 'unexpected end of expression, expected a value' : `unexpected ${describe(token)}, expected a value`, token);
  }

  private literal(name: string, callKind: 'list' | 'map', close: string, open: Token): CallNode {
    const args = this.args(close);
    const skipped = args.find((arg) => arg.type === 'skipped');
    if (skipped) this.fail(`empty element in ${callKind === 'list' ? 'list' : 'dict'}`, { type: 'punct', text: ',', pos: skipped.pos });
    return { type: 'call', name, callKind, args, pos: open.pos };
  }

  /**
   * Arguments up to `close`: positional ones, then `name => value` pairs. A position may be left
   * empty (`f(, 1)`) except the last one, as yaql's grammar allows.
   */
  private args(close: string): ArgNode[] {
    const args: ArgNode[] = [];
    if (this.isPunct(this.peek(), close)) {
      this.next();
      return args;
    }
    let named = false;
    for (;;) {
      const token = this.peek();
      if (token.type === 'end') this.fail(`expected '${close}'`, token);
      if (this.isPunct(token, ',')) {
        if (named) this.fail('unexpected \',\', expected a named argument', token);
        args.push({ type: 'skipped', pos: token.pos });
        this.next();
        continue;
      }
      const value = this.expression(0);
      const arrow = this.peek();
      if (arrow.type === 'op' && arrow.text === '=>') {
        this.next();
        const destination = this.expression(0);
        args.push({ type: 'mapping', source: value, destination, pos: arrow.pos });
        named = true;
      } else {
        if (named) this.fail('a positional argument cannot follow a named one (name => value)', token);
        args.push(value);
      }
      const after = this.peek();
      if (this.isPunct(after, ',')) {
        this.next();
        if (this.isPunct(this.peek(), close)) this.fail(`unexpected '${close}' after ','`, this.peek());
        continue;
      }
      this.expect(close);
      return args;
    }
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'end of expression';
    case 'string':
      return 'string';
    case 'number':
      return `number ${token.text}`;
    case 'func':
      return `'${token.text}('`;
    default:
      return `'${token.text}'`;
  }
}
