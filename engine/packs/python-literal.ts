/**
 * Reads the Python literal text st2's casts fall back to (ast.literal_eval) when an object or array
 * parameter arrives as text that is not JSON: `{'a': True, 'b': (1, 2), 'c': None}`.
 */

class LiteralReader {
  #pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  fail(what: string): never {
    throw new SyntaxError(`${what} at character ${this.#pos + 1}`);
  }

  blank(): void {
    while (/\s/.test(this.text[this.#pos] ?? '')) this.#pos++;
  }

  peek(): string {
    this.blank();
    return this.text[this.#pos] ?? '';
  }

  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.#pos++;
    return true;
  }

  done(): boolean {
    return this.peek() === '';
  }

  value(): unknown {
    const ch = this.peek();
    if (ch === '{') return this.dict();
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '(') return this.sequence('(', ')');
    if (ch === "'" || ch === '"') return this.string(ch);
    const word = /^(True|False|None|[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(this.text.slice(this.#pos));
    if (!word) this.fail('expected a Python literal');
    this.#pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replaceAll('_', ''));
  }

  sequence(open: string, close: string): unknown[] {
    this.eat(open);
    const items: unknown[] = [];
    while (!this.eat(close)) {
      items.push(this.value());
      if (!this.eat(',') && this.peek() !== close) this.fail(`expected "," or "${close}"`);
    }
    return items;
  }

  dict(): Record<string, unknown> {
    this.eat('{');
    const out: Record<string, unknown> = {};
    while (!this.eat('}')) {
      const key = this.value();
      if (!this.eat(':')) this.fail('expected ":"');
      const item = this.value();
      Object.defineProperty(out, typeof key === 'string' ? key : JSON.stringify(key), { value: item, enumerable: true, writable: true, configurable: true });
      if (!this.eat(',') && this.peek() !== '}') this.fail('expected "," or "}"');
    }
    return out;
  }

  string(quote: string): string {
    this.#pos++;
    let out = '';
    const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
    for (;;) {
      const ch = this.text[this.#pos++];
      if (ch === undefined) this.fail('unterminated string');
      if (ch === quote) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = this.text[this.#pos++] ?? '';
      if (next === 'u' || next === 'x') {
        const len = next === 'u' ? 4 : 2;
        const hex = this.text.slice(this.#pos, this.#pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail('bad escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.#pos += len;
      } else out += escapes[next] ?? `\\${next}`;
    }
  }
}

/**
 * Parses a Python literal (dicts, lists, tuples as arrays, strings, numbers, True/False/None).
 *
 * @throws SyntaxError naming the character where the text stops being a literal.
 */
export function parsePythonLiteral(text: string): unknown {
  const reader = new LiteralReader(text);
  const value = reader.value();
  if (!reader.done()) reader.fail('unexpected text after the literal');
  return value;
}
