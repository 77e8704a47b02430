/** Parses a template's statements (`{% for %}`, `{% if %}`, `{% set %}`, ...) as jinja2 does. */
import type { Expr, MacroParam, Stmt, Target, TemplateNames } from './ast.ts';
import { ExpressionParser } from './parse-expression.ts';
import { tokenize } from './lexer.ts';
import type { LexerOptions } from './lexer.ts';

const UNSUPPORTED = new Set(['extends', 'include', 'import', 'from', 'block', 'call']);

/** A parsed template: its statements and the filters and tests it names. */
export interface ParsedTemplate {
  body: Stmt[];
  names: TemplateNames;
}

/** Parses `source`; throws JinjaSyntaxError with the line and column of the problem. */
export function parseTemplate(source: string, options: LexerOptions): ParsedTemplate {
  const parser = new TemplateParser(tokenize(source, options));
  const body = parser.parseBody();
  return { body, names: parser.names };
}

class TemplateParser extends ExpressionParser {
  private readonly openBlocks: string[] = [];

  parseBody(): Stmt[] {
    return this.subparse([]);
  }

  /** Statements up to one of the `endNames` tags; leaves the cursor on that tag's name. */
  private subparse(endNames: string[]): Stmt[] {
    const body: Stmt[] = [];
    for (;;) {
      const token = this.current;
      if (token.type === 'data') {
        this.next();
        body.push({ kind: 'data', pos: this.at(token), text: token.value });
      } else if (token.type === 'var_begin') {
        this.next();
        const expr = this.parseTuple({ withCondexpr: true });
        this.expect('var_end');
        body.push({ kind: 'print', pos: this.at(token), expr });
      } else if (token.type === 'block_begin') {
        this.next();
        if (endNames.some((name) => this.isName(name))) return body;
        body.push(this.parseStatement());
      } else if (token.type === 'eof') {
        if (endNames.length === 0) return body;
        const wanted = endNames.map((n) => `'${n}'`).join(' or ');
        throw this.fail(
          `Unexpected end of template. Jinja was looking for the following tags: ${wanted}. The innermost block that needs to be closed is '${this.openBlocks.at(-1) ?? ''}'.`,
        );
      } else throw this.fail(`unexpected '${token.value}'`);
    }
  }

  private block<T>(name: string, parse: () => T): T {
    this.openBlocks.push(name);
    const result = parse();
    this.openBlocks.pop();
    return result;
  }

  private endTag(): void {
    this.next();
    this.expect('block_end');
  }

  private parseStatement(): Stmt {
    const token = this.current;
    if (token.type !== 'name') throw this.fail('tag name expected');
    if (UNSUPPORTED.has(token.value)) throw this.fail(`the '${token.value}' tag is not supported here: a template renders on its own`);
    switch (token.value) {
      case 'for':
        return this.block('for', () => this.parseFor());
      case 'if':
        return this.block('if', () => this.parseIf());
      case 'set':
        return this.block('set', () => this.parseSet());
      case 'macro':
        return this.block('macro', () => this.parseMacro());
      case 'filter':
        return this.block('filter', () => this.parseFilterBlock());
      case 'with':
        return this.block('with', () => this.parseWith());
      case 'autoescape':
        return this.block('autoescape', () => this.parseAutoescape());
      default:
        throw this.fail(`Encountered unknown tag '${token.value}'.`);
    }
  }

  private parseFor(): Stmt {
    const pos = this.at(this.next());
    const target = this.parseAssignTarget(['in']);
    this.expect('name', 'in');
    const iter = this.parseTuple({ withCondexpr: false, endNames: ['recursive'] });
    const test = this.skipIf('name', 'if') ? this.parseExpression() : undefined;
    const recursive = this.skipIf('name', 'recursive');
    if (recursive) throw this.fail('recursive loops are not supported');
    this.expect('block_end');
    const body = this.subparse(['endfor', 'else']);
    let otherwise: Stmt[] = [];
    if (this.isName('else')) {
      this.endTag();
      otherwise = this.subparse(['endfor']);
    }
    this.endTag();
    return { kind: 'for', pos, target, iter, ...(test && { test }), body, otherwise, recursive };
  }

  private parseIf(): Stmt {
    const pos = this.at(this.next());
    const branches: { test: Expr; body: Stmt[] }[] = [];
    let test = this.parseTuple({ withCondexpr: false });
    for (;;) {
      this.expect('block_end');
      branches.push({ test, body: this.subparse(['elif', 'else', 'endif']) });
      if (!this.isName('elif')) break;
      this.next();
      test = this.parseTuple({ withCondexpr: false });
    }
    let otherwise: Stmt[] = [];
    if (this.isName('else')) {
      this.endTag();
      otherwise = this.subparse(['endif']);
    }
    this.endTag();
    return { kind: 'if', pos, branches, otherwise };
  }

  private parseSet(): Stmt {
    const pos = this.at(this.next());
    const target = this.parseAssignTarget([], true);
    if (this.skipIf('op', '=')) {
      const expr = this.parseTuple();
      this.expect('block_end');
      return { kind: 'set', pos, target, expr };
    }
    let filter: Expr | undefined;
    if (this.isOp('|')) {
      this.next();
      filter = this.parseFilter(undefined, false);
      while (this.isOp('|')) filter = this.parseFilter(filter);
    }
    this.expect('block_end');
    const body = this.subparse(['endset']);
    this.endTag();
    return { kind: 'setblock', pos, target, ...(filter && { filter }), body };
  }

  private parseMacro(): Stmt {
    const pos = this.at(this.next());
    const name = this.expect('name').value;
    const params: MacroParam[] = [];
    this.expect('op', '(');
    while (!this.isOp(')')) {
      if (params.length > 0) this.expect('op', ',');
      const param = this.expect('name').value;
      if (this.skipIf('op', '=')) params.push({ name: param, default: this.parseExpression() });
      else if (params.some((p) => p.default)) throw this.fail('non-default argument follows default argument');
      else params.push({ name: param });
    }
    this.expect('op', ')');
    this.expect('block_end');
    const body = this.subparse(['endmacro']);
    this.endTag();
    return { kind: 'macro', pos, name, params, body };
  }

  private parseFilterBlock(): Stmt {
    const pos = this.at(this.next());
    let filter = this.parseFilter(undefined, false);
    while (this.isOp('|')) filter = this.parseFilter(filter);
    this.expect('block_end');
    const body = this.subparse(['endfilter']);
    this.endTag();
    return { kind: 'filterblock', pos, filter, body };
  }

  private parseWith(): Stmt {
    const pos = this.at(this.next());
    const targets: [Target, Expr][] = [];
    while (!this.is('block_end')) {
      if (targets.length > 0) this.expect('op', ',');
      const target = this.parseAssignTarget([]);
      this.expect('op', '=');
      targets.push([target, this.parseExpression()]);
    }
    this.expect('block_end');
    const body = this.subparse(['endwith']);
    this.endTag();
    return { kind: 'with', pos, targets, body };
  }

  private parseAutoescape(): Stmt {
    const pos = this.at(this.next());
    this.parseExpression();
    this.expect('block_end');
    const body = this.subparse(['endautoescape']);
    this.endTag();
    return { kind: 'scope', pos, body };
  }

  /** A name, `a, b` or (for set) `ns.attr`. */
  private parseAssignTarget(endNames: string[], withNamespace = false): Target {
    const pos = this.at();
    if (withNamespace && this.is('name') && this.look().type === 'op' && this.look().value === '.') {
      const name = this.next().value;
      this.next();
      return { kind: 'nsref', pos, name, attr: this.expect('name').value };
    }
    const expr = this.parseTuple({ simplified: true, endNames });
    return this.toTarget(expr);
  }

  private toTarget(expr: Expr): Target {
    if (expr.kind === 'name') {
      if (['true', 'false', 'none', 'True', 'False', 'None'].includes(expr.name)) throw this.fail(`can't assign to '${expr.name}'`);
      return { kind: 'name', pos: expr.pos, name: expr.name };
    }
    if (expr.kind === 'tuple') return { kind: 'tuple', pos: expr.pos, items: expr.items.map((item) => this.toTarget(item)) };
    throw this.fail(`can't assign to '${expr.kind}'`);
  }
}
