import { JinjaSyntaxError } from './jinja-errors.ts';
import type { SourcePosition } from './jinja-errors.ts';
import type { Token } from './lexer.ts';
import type { TemplateNames } from './ast.ts';

/** jinja2's names for the tokens that end a tag. */
export const DESCRIBE: Record<string, string> = { var_end: 'end of print statement', block_end: 'end of statement block', eof: 'end of template' };

/** How jinja2 names a token in its error messages. */
export function describe(token: Token): string {
  return DESCRIBE[token.type] ?? (token.type === 'op' || token.type === 'name' ? token.value : token.type);
}

/** A cursor over a template's tokens with jinja2's expectation errors. */
export class TokenStream {
  protected index = 0;
  /** Filters and tests named by the template, for the check jinja2 does at compile time. */
  readonly names: TemplateNames = { filters: new Map(), tests: new Map() };

  protected readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  protected get current(): Token {
    return this.tokens[this.index] as Token;
  }

  protected look(offset = 1): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  protected next(): Token {
    const token = this.current;
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  protected is(type: Token['type'], value?: string): boolean {
    return this.current.type === type && (value === undefined || this.current.value === value);
  }

  protected isOp(value: string): boolean {
    return this.is('op', value);
  }

  protected isName(value: string): boolean {
    return this.is('name', value);
  }

  protected skipIf(type: Token['type'], value?: string): boolean {
    if (!this.is(type, value)) return false;
    this.next();
    return true;
  }

  protected expect(type: Token['type'], value?: string): Token {
    if (this.is(type, value)) return this.next();
    const wanted = value ?? DESCRIBE[type] ?? type;
    if (this.current.type === 'eof') throw this.fail(`unexpected end of template, expected '${wanted}'.`);
    throw this.fail(`expected token '${wanted}', got '${describe(this.current)}'`);
  }

  protected fail(message: string, token: Token = this.current): JinjaSyntaxError {
    return new JinjaSyntaxError(message, token.line, token.column);
  }

  protected at(token: Token = this.current): SourcePosition {
    return { line: token.line, column: token.column };
  }
}
