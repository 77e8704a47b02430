/** Python's `'%s' % value`, `'{}'.format(value)` and the format-spec mini-language. */
import { JinjaRuntimeError, typeError, valueError } from './jinja-errors.ts';
import { toExponentialHalfEven, toFixedHalfEven } from './decimal.ts';
import { floatRepr, pyRepr, pyStr } from './python-str.ts';
import { PyFloat, isDict, isFloat, isNumeric, isTuple, toNumber, typeName } from './values.ts';

const PERCENT = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])/g;

/** `fmt % args`, as Python's str.__mod__. */
export function percentFormat(fmt: string, args: unknown): string {
  const positional = isTuple(args) ? [...args] : [args];
  const mapping = isDict(args) ? args : undefined;
  let index = 0;
  let usedMapping = false;
  const out = fmt.replace(PERCENT, (_whole, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, type: string) => {
    if (type === '%' && key === undefined) return '%';
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) throw typeError('format requires a mapping');
      if (!Object.hasOwn(mapping, key)) throw new JinjaRuntimeError(`'${key}'`, 'KeyError');
      value = mapping[key];
      usedMapping = true;
    } else {
      if (index >= positional.length) throw typeError('not enough arguments for format string');
      value = positional[index++];
    }
    return formatOne(value, flags, width === undefined ? undefined : Number(width), precision === undefined ? undefined : Number(precision), type);
  });
  if (!usedMapping && !mapping && index < positional.length) throw typeError('not all arguments converted during string formatting');
  return out;
}

function formatOne(value: unknown, flags: string, width: number | undefined, precision: number | undefined, type: string): string {
  let body: string;
  let numeric = false;
  if (type === 's' || type === 'r' || type === 'a') {
    body = type === 's' ? pyStr(value) : pyRepr(value);
    if (precision !== undefined) body = body.slice(0, precision);
  } else if (type === 'c') {
    body = typeof value === 'string' ? value : String.fromCodePoint(toNumber(value));
  } else {
    if (!isNumeric(value)) {
      const what = 'diouxX'.includes(type) ? `%${type} format: a real number is required` : 'must be real number';
      throw typeError(`${what}, not ${typeName(value)}`);
    }
    numeric = true;
    body = formatNumber(toNumber(value), type, precision, flags.includes('#'));
    if (!body.startsWith('-')) {
      if (flags.includes('+')) body = `+${body}`;
      else if (flags.includes(' ')) body = ` ${body}`;
    }
  }
  return pad(body, width ?? 0, flags.includes('-') ? '<' : numeric && flags.includes('0') ? '=' : '>', numeric && flags.includes('0') ? '0' : ' ');
}

function formatNumber(n: number, type: string, precision: number | undefined, alternate: boolean): string {
  switch (type) {
    case 'd':
    case 'i':
    case 'u':
      return String(Math.trunc(n));
    case 'o':
      return (n < 0 ? '-' : '') + (alternate ? '0o' : '') + Math.abs(Math.trunc(n)).toString(8);
    case 'x':
    case 'X': {
      const text = (n < 0 ? '-' : '') + (alternate ? '0x' : '') + Math.abs(Math.trunc(n)).toString(16);
      return type === 'X' ? text.toUpperCase() : text;
    }
    case 'f':
    case 'F':
      return fixed(n, precision ?? 6);
    case 'e':
    case 'E':
      return exponential(n, precision ?? 6, type === 'E');
    default:
      return general(n, precision ?? 6, type === 'G', alternate);
  }
}

function fixed(n: number, digits: number): string {
  if (!Number.isFinite(n)) return floatRepr(n);
  return toFixedHalfEven(n, Math.min(digits, 100));
}

function exponential(n: number, digits: number, upper: boolean): string {
  if (!Number.isFinite(n)) return floatRepr(n);
  const { mantissa, exponent } = toExponentialHalfEven(n, Math.min(digits, 100) + 1);
  const text = `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return upper ? text.toUpperCase() : text;
}

/** %g: the shorter of fixed and exponential for `precision` significant digits, zeros trimmed. */
function general(n: number, precision: number, upper: boolean, keepZeros: boolean): string {
  if (!Number.isFinite(n)) return floatRepr(n);
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return keepZeros ? `0.${'0'.repeat(p - 1)}` : '0';
  const exp = toExponentialHalfEven(n, p).exponent;
  let text = exp < -4 || exp >= p ? exponential(n, p - 1, upper) : toFixedHalfEven(n, Math.max(0, p - 1 - exp));
  if (!keepZeros && text.includes('.')) text = text.replace(/0+(?=e|E|$)/, '').replace(/\.(?=e|E|$)/, '');
  return text;
}

/** Pads to `width`: '<' left, '>' right, '^' centred, '=' after the sign. */
function pad(body: string, width: number, align: string, fill: string): string {
  const missing = width - [...body].length;
  if (missing <= 0) return body;
  if (align === '<') return body + fill.repeat(missing);
  if (align === '^') return fill.repeat(Math.floor(missing / 2)) + body + fill.repeat(Math.ceil(missing / 2));
  if (align === '=') {
    const sign = /^[-+ ]/.test(body) ? (body[0] ?? '') : '';
    const prefix = /^[-+ ]?0[xob]/i.exec(body)?.[0] ?? sign;
    return prefix + fill.repeat(missing) + body.slice(prefix.length);
  }
  return fill.repeat(missing) + body;
}

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

/** format(value, spec): the format-spec mini-language of `'{:>8.2f}'.format(x)`. */
export function formatSpec(value: unknown, spec: string): string {
  const m = SPEC.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName(value)}'`);
  const [, fillChar, alignChar, sign, alternate, zero, widthText, grouping, precisionText, typeChar] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  const numeric = isNumeric(value) && typeof value !== 'boolean';
  let body: string;
  if (!numeric || typeChar === 's') {
    if (typeChar !== undefined && typeChar !== 's') throw valueError(`Unknown format code '${typeChar}' for object of type '${typeName(value)}'`);
    body = pyStr(value);
    if (precision !== undefined) body = body.slice(0, precision);
  } else {
    const n = toNumber(value);
    const type = typeChar ?? (isFloat(value) ? '' : 'd');
    if (type === 'd' && (isFloat(value) || value instanceof PyFloat)) throw valueError(`Unknown format code 'd' for object of type 'float'`);
    if (type === '') body = precision === undefined ? pyStr(value) : general(n, precision, false, false);
    else if (type === '%') body = `${fixed(n * 100, precision ?? 6)}%`;
    else if (type === 'b') body = (n < 0 ? '-' : '') + (alternate ? '0b' : '') + Math.abs(Math.trunc(n)).toString(2);
    else if (type === 'n') body = formatNumber(n, isFloat(value) ? 'g' : 'd', precision, false);
    else body = formatNumber(n, type, precision, alternate !== undefined);
    if (grouping) body = body.replace(/^(-?)(\d+)/, (_w, s: string, digits: string) => s + digits.replace(/\B(?=(\d{3})+(?!\d))/g, grouping));
    if (!body.startsWith('-') && (sign === '+' || sign === ' ')) body = sign + body;
  }
  const align = alignChar ?? (zero && numeric ? '=' : numeric ? '>' : '<');
  return pad(body, widthText === undefined ? 0 : Number(widthText), align, fillChar ?? (zero && !alignChar ? '0' : ' '));
}

/** `fmt.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{name.attr}`, `{!r}`, `{:spec}`. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>, getField: (value: unknown, key: string, isItem: boolean) => unknown): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}|[{}]/g, (whole, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (field === undefined) throw valueError(`Single '${whole}' encountered in format string`);
    const [head = '', ...rest] = field.split(/(?=[.[])/);
    let value: unknown;
    if (head === '') {
      if (auto >= args.length) throw new JinjaRuntimeError(`Replacement index ${auto} out of range for positional args tuple`, 'IndexError');
      value = args[auto++];
    } else if (/^\d+$/.test(head)) {
      if (Number(head) >= args.length) throw new JinjaRuntimeError(`Replacement index ${head} out of range for positional args tuple`, 'IndexError');
      value = args[Number(head)];
    } else {
      if (!Object.hasOwn(kwargs, head)) throw new JinjaRuntimeError(`'${head}'`, 'KeyError');
      value = kwargs[head];
    }
    for (const part of rest) value = part.startsWith('.') ? getField(value, part.slice(1), false) : getField(value, part.slice(1, -1), true);
    if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
    else if (conversion === 's') value = pyStr(value);
    return formatSpec(value, spec ?? '');
  });
}
