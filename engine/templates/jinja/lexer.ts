import { JinjaSyntaxError } from './jinja-errors.ts';

/** A token of a Jinja template; `line`/`column` are 1-based and point into the source. */
export interface Token {
  type: 'data' | 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'name' | 'string' | 'int' | 'float' | 'op' | 'eof';
  value: string;
  line: number;
  column: number;
}

/** What st2's `get_jinja_environment` configures: trim_blocks and lstrip_blocks on. */
export interface LexerOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
}

// Longest first, as jinja2's operator regex tries them.
const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';'];
const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INTEGER = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*/y;
const STRING = /'([^'\\]*(?:\\[\s\S][^'\\]*)*)'|"([^"\\]*(?:\\[\s\S][^"\\]*)*)"/y;
const TAG_START = /\{\{|\{%|\{#/g;
const RAW_BEGIN = /\{%([-+]?)\s*raw\s*(-?)%\}/y;
const RAW_END = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;

/** jinja2 reads templates with every newline normalised to \n and drops one trailing newline. */
export function normalizeSource(source: string): string {
  const text = source.replace(/\r\n|\r/g, '\n');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Splits a template into tokens the way jinja2's lexer does (whitespace control included). */
export function tokenize(rawSource: string, options: LexerOptions): Token[] {
  return new Lexer(normalizeSource(rawSource), options).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private pos = 0;
  private lineStarting = true;
  private stripNext = false;
  private readonly lineStarts: number[] = [0];

  private readonly src: string;
  private readonly options: LexerOptions;

  constructor(src: string, options: LexerOptions) {
    this.src = src;
    this.options = options;
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  run(): Token[] {
    while (this.pos < this.src.length) {
      TAG_START.lastIndex = this.pos;
      const m = TAG_START.exec(this.src);
      const tagAt = m ? m.index : this.src.length;
      let text = this.src.slice(this.pos, tagAt);
      const textAt = this.pos;
      if (this.stripNext) text = text.replace(/^\s+/, '');
      const skipped = this.src.slice(this.pos, tagAt).length - text.length;
      this.stripNext = false;
      if (!m) {
        this.pushData(text, textAt + skipped);
        break;
      }
      const kind = m[0];
      const marker = this.src[tagAt + 2];
      if (marker === '-') text = text.replace(/\s+$/, '');
      else if (this.options.lstripBlocks && kind !== '{{' && marker !== '+') text = this.lstrip(text);
      this.pushData(text, textAt + skipped);
      this.pos = tagAt;
      if (kind === '{#') this.comment();
      else if (kind === '{%' && this.raw()) continue;
      else this.tag(kind === '{{' ? 'var' : 'block');
    }
    this.tokens.push({ type: 'eof', value: '', ...this.position(this.src.length) });
    return this.tokens;
  }

  private lstrip(text: string): string {
    const lineStart = text.lastIndexOf('\n') + 1;
    if (lineStart === 0 && !this.lineStarting) return text;
    return /[^ \t]/.test(text.slice(lineStart)) ? text : text.slice(0, lineStart);
  }

  private pushData(text: string, at: number): void {
    if (text !== '') this.tokens.push({ type: 'data', value: text, ...this.position(at) });
  }

  private comment(): void {
    const end = this.src.indexOf('#}', this.pos + 2);
    if (end < 0) throw this.error('missing end of comment tag', this.pos);
    this.afterTag(this.src[end - 1] ?? '', end + 2, true);
  }

  private raw(): boolean {
    RAW_BEGIN.lastIndex = this.pos;
    const begin = RAW_BEGIN.exec(this.src);
    if (!begin) return false;
    RAW_END.lastIndex = RAW_BEGIN.lastIndex;
    const end = RAW_END.exec(this.src);
    if (!end) throw this.error("Missing end of raw directive", this.pos);
    let body = this.src.slice(RAW_BEGIN.lastIndex, end.index);
    if (begin[2] === '-') body = body.replace(/^\s+/, '');
    if (end[1] === '-') body = body.replace(/\s+$/, '');
    this.pushData(body, RAW_BEGIN.lastIndex);
    this.afterTag(end[2] ?? '', RAW_END.lastIndex, true);
    return true;
  }

  /** Handles what follows `}}`, `%}` or `#}`: `-` strips, trim_blocks eats one newline. */
  private afterTag(marker: string, next: number, trims: boolean): void {
    this.pos = next;
    if (marker === '-') this.stripNext = true;
    else if (trims && marker !== '+' && this.options.trimBlocks && this.src[this.pos] === '\n') this.pos += 1;
    this.lineStarting = this.src[this.pos - 1] === '\n';
  }

  private tag(kind: 'var' | 'block'): void {
    const close = kind === 'var' ? '}}' : '%}';
    const start = this.pos;
    this.push(kind === 'var' ? 'var_begin' : 'block_begin', this.src.slice(start, start + 2), start);
    this.pos += 2;
    if (this.src[this.pos] === '-' || (kind === 'block' && this.src[this.pos] === '+')) this.pos += 1;
    const stack: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.src.length) throw this.error(`unexpected end of template, expected '${close}'`, this.pos);
      if (stack.length === 0) {
        const end = this.closing(close);
        if (end) {
          this.push(kind === 'var' ? 'var_end' : 'block_end', close, this.pos);
          this.afterTag(end.marker, this.pos + end.length, kind === 'block');
          return;
        }
      }
      this.expressionToken(stack);
    }
  }

  private closing(close: string): { marker: string; length: number } | undefined {
    const s = this.src;
    if (s.startsWith(close, this.pos)) return { marker: '', length: 2 };
    if ((s[this.pos] === '-' || (close === '%}' && s[this.pos] === '+')) && s.startsWith(close, this.pos + 1)) {
      return { marker: s[this.pos] ?? '', length: 3 };
    }
    return undefined;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos += 1;
  }

  private expressionToken(stack: string[]): void {
    const at = this.pos;
    for (const [type, re] of [['float', FLOAT], ['int', INTEGER], ['name', NAME]] as const) {
      re.lastIndex = at;
      const m = re.exec(this.src);
      if (m) {
        this.push(type, m[0], at);
        this.pos = re.lastIndex;
        return;
      }
    }
    STRING.lastIndex = at;
    const str = STRING.exec(this.src);
    if (str) {
      this.push('string', decodeString(str[1] ?? str[2] ?? ''), at);
      this.pos = STRING.lastIndex;
      return;
    }
    const op = OPERATORS.find((candidate) => this.src.startsWith(candidate, at));
    if (op === undefined) throw this.error(`unexpected char ${JSON.stringify(this.src[at])}`, at);
    if (OPEN[op]) stack.push(OPEN[op]);
    else if (op === ')' || op === ']' || op === '}') {
      const expected = stack.pop();
      if (expected === undefined) throw this.error(`unexpected '${op}'`, at);
      if (expected !== op) throw this.error(`unexpected '${op}', expected '${expected}'`, at);
    }
    this.push('op', op, at);
    this.pos = at + op.length;
  }

  private push(type: Token['type'], value: string, at: number): void {
    this.tokens.push({ type, value, ...this.position(at) });
  }

  private position(at: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - (this.lineStarts[low] ?? 0) + 1 };
  }

  private error(message: string, at: number): JinjaSyntaxError {
    const { line, column } = this.position(at);
    return new JinjaSyntaxError(message, line, column);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** Decodes a string literal's body as Python's unicode-escape codec does; unknown escapes stay. */
function decodeString(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, esc: string) => {
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) return simple;
    if (/^[xuU]/.test(esc) && esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    return whole;
  });
}
