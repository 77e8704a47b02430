/**
 * yaml.safe_dump(value, default_flow_style=False, allow_unicode=True) as st2 runs it: PyYAML's
 * representer (YAML 1.1 implicit types, sorted keys) and libyaml's emitter (scalar styles, folding
 * at 80 columns, indentless sequences inside mappings).
 */
import { PyFloat, floatRepr, isDict, typeError, typeName } from '../jinja/index.ts';

const BEST_WIDTH = 80;

// PyYAML's implicit resolvers: a plain scalar matching one of these would not read back as str.
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

const isBreak = (c: string) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';

// libyaml's IS_PRINTABLE, which reads UTF-8 bytes: NEL and everything beyond the BMP (emoji) are
// not printable there, so such text is double-quoted with escapes.
function printable(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

type Style = 'plain' | 'single' | 'double';

/** libyaml's yaml_emitter_analyze_scalar + select_scalar_style for a block-context str. */
function chooseStyle(text: string, simpleKey: boolean): Style {
  const chars = [...text];
  if (chars.length === 0) return 'single';
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  chars.forEach((c, i) => {
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || next === ' ' || next === '\t' || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((c === ':' && followedByWhitespace) || (c === '#' && precededByWhitespace)) blockIndicators = true;
    if (!printable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = c === ' ' || c === '\t' || isBreak(c);
  });
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators);
  let single = true;
  if (breakSpace) plain = single = false;
  if (spaceBreak || special) plain = single = false;
  if (simpleKey && lineBreaks) plain = single = false;
  if (plain && IMPLICIT.some((re) => re.test(text))) plain = false;
  if (plain) return 'plain';
  return single ? 'single' : 'double';
}

const DOUBLE_ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\',
  '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

class Emitter {
  out = '';
  column = 0;
  private readonly step: number;

  constructor(step: number) {
    this.step = step;
  }

  write(text: string): void {
    this.out += text;
    this.column += [...text].length;
  }

  newline(): void {
    this.out += '\n';
    this.column = 0;
  }

  node(value: unknown, indent: number, inline: boolean): void {
    if (isDict(value) && Object.keys(value).length > 0) {
      Object.keys(value)
        .sort()
        .forEach((key, i) => {
          if (i > 0 || !inline) {
            this.newline();
            this.write(' '.repeat(indent));
          }
          this.scalar(key, indent + this.step, true);
          this.write(':');
          this.child(value[key], indent, true);
        });
    } else if (Array.isArray(value) && value.length > 0) {
      value.forEach((item, i) => {
        if (i > 0 || !inline) {
          this.newline();
          this.write(' '.repeat(indent));
        }
        this.write('-');
        this.child(item, indent, false);
      });
    } else {
      this.scalar(value, indent, false);
    }
  }

  private child(value: unknown, indent: number, inMapping: boolean): void {
    const nested = (isDict(value) || Array.isArray(value)) && Object.keys(value as object).length > 0;
    if (!nested) {
      this.write(' ');
      this.scalar(value, indent + this.step, false);
    } else if (inMapping) {
      this.node(value, Array.isArray(value) ? indent : indent + this.step, false);
    } else {
      this.write(' '.repeat(Math.max(1, indent + this.step - this.column)));
      this.node(value, indent + this.step, true);
    }
  }

  scalar(value: unknown, indent: number, simpleKey: boolean): void {
    if (value === null) return this.write('null');
    if (value === true || value === false) return this.write(String(value));
    if (typeof value === 'number' && Number.isInteger(value)) return this.write(String(value));
    if (typeof value === 'number' || value instanceof PyFloat) return this.write(representFloat(typeof value === 'number' ? value : value.value));
    if (isDict(value)) return this.write('{}');
    if (Array.isArray(value)) return this.write('[]');
    if (typeof value !== 'string') throw typeError(`cannot represent an object: ${typeName(value)}`);
    const style = chooseStyle(value, simpleKey);
    if (style === 'plain') this.plain(value, indent, !simpleKey);
    else if (style === 'single') this.single(value, indent, !simpleKey);
    else this.double(value, indent, !simpleKey);
  }

  private plain(text: string, indent: number, allowBreaks: boolean): void {
    const chars = [...text];
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === ' ' && allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') {
        this.newline();
        this.write(' '.repeat(indent));
      } else this.write(c);
      spaces = c === ' ';
    });
  }

  private single(text: string, indent: number, allowBreaks: boolean): void {
    const chars = [...text];
    this.write("'");
    let spaces = false;
    let breaks = false;
    chars.forEach((c, i) => {
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') {
          this.newline();
          this.write(' '.repeat(indent));
        } else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.newline();
        this.newline();
        breaks = true;
      } else {
        if (breaks) this.write(' '.repeat(indent));
        this.write(c === "'" ? "''" : c);
        spaces = breaks = false;
      }
    });
    if (breaks) this.write(' '.repeat(indent));
    this.write("'");
  }

  private double(text: string, indent: number, allowBreaks: boolean): void {
    const chars = [...text];
    this.write('"');
    let spaces = false;
    chars.forEach((c, i) => {
      const escape = DOUBLE_ESCAPES[c];
      if (escape !== undefined || !printable(c) || c === '\ufeff') {
        const cp = c.codePointAt(0) ?? 0;
        this.write(escape !== undefined ? `\\${escape}` : cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`);
        spaces = false;
      } else if (c === ' ' && allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        this.newline();
        this.write(' '.repeat(indent));
        if (chars[i + 1] === ' ') this.write('\\');
        spaces = true;
      } else {
        this.write(c);
        spaces = c === ' ';
      }
    });
    this.write('"');
  }
}

function hex(cp: number, width: number): string {
  return cp.toString(16).toUpperCase().padStart(width, '0');
}

/** PyYAML's represent_float. */
function representFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const text = floatRepr(x).toLowerCase();
  return !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text;
}

/** The YAML document st2's to_yaml_string returns; `indent` is libyaml's best_indent (2–9). */
export function yamlSafeDump(value: unknown, indent: number | null = null): string {
  const step = indent !== null && indent >= 2 && indent <= 9 ? indent : 2;
  const emitter = new Emitter(step);
  emitter.node(value, 0, true);
  return `${emitter.out}\n`;
}
