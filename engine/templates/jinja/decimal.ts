/** Exact decimal rounding of doubles, as Python's round() and %-formatting do it (half to even). */

/** The exact decimal expansion of a finite double's magnitude, as [integer digits, fraction digits]. */
function exactDecimal(x: number): [string, string] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return [(mantissa << BigInt(exponent)).toString(), ''];
  const digits = (mantissa * 5n ** BigInt(-exponent)).toString().padStart(-exponent + 1, '0');
  return [digits.slice(0, exponent), digits.slice(exponent)];
}

/** Rounds the digit string `digits` to its first `keep` digits, half to even; may carry one more digit. */
function roundDigits(digits: string, keep: number): string {
  if (keep >= digits.length) return digits.padEnd(keep, '0');
  let n = BigInt(digits.slice(0, keep) || '0');
  const first = digits[keep] ?? '0';
  const tail = /[1-9]/.test(digits.slice(keep + 1));
  if (first > '5' || (first === '5' && (tail || n % 2n === 1n))) n += 1n;
  return keep === 0 ? (n === 0n ? '' : n.toString()) : n.toString().padStart(keep, '0');
}

/** `x` with `places` digits after the point, correctly rounded: Python's '%.{places}f'. */
export function toFixedHalfEven(x: number, places: number): string {
  const [whole, frac] = exactDecimal(x);
  const rounded = roundDigits(whole + frac, whole.length + places);
  const digits = rounded.padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return (x < 0 || Object.is(x, -0) ? '-' : '') + text.replace(/^0+(?=\d)/, '');
}

/** `x` as d.ddd and a decimal exponent with `significant` digits: Python's '%.{significant-1}e'. */
export function toExponentialHalfEven(x: number, significant: number): { mantissa: string; exponent: number } {
  if (x === 0) return { mantissa: significant > 1 ? `0.${'0'.repeat(significant - 1)}` : '0', exponent: 0 };
  const [whole, frac] = exactDecimal(x);
  const all = whole + frac;
  const lead = all.search(/[1-9]/);
  let exponent = whole.length - lead - 1;
  let digits = roundDigits(all.slice(lead), significant);
  if (digits.length > significant) {
    digits = digits.slice(0, significant);
    exponent += 1;
  }
  const mantissa = significant > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return { mantissa: (x < 0 ? '-' : '') + mantissa, exponent };
}

/** Python's round(x, ndigits) for a float. */
export function roundHalfEven(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || ndigits > 300) return x;
  if (ndigits < 0) {
    const scale = 10 ** -ndigits;
    return roundHalfEven(x / scale, 0) * scale;
  }
  return Number(toFixedHalfEven(x, ndigits));
}
