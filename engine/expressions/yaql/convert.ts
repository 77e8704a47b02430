import { YaqlFault, YaqlLimitFault } from './errors.ts';
import { MAX_DATA_DEPTH } from './limits.ts';
import { isConverted, PyFloat, tuple, typeName, YaqlDict, YaqlIterator, YaqlRegex } from './values.ts';
import type { YaqlValue } from './values.ts';

/**
 * JSON-like data from a caller into evaluator values: arrays become tuples, objects dicts, numbers
 * ints when integral (JSON cannot tell `2.0` from `2`), floats otherwise.
 */
export function fromJs(value: unknown, depth = 0): YaqlValue {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value : new PyFloat(value);
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return isConverted(value) ? (value as readonly YaqlValue[]) : tuple(value.map((item) => fromJs(item, depth + 1)));
  if (value instanceof PyFloat || value instanceof YaqlDict || value instanceof YaqlIterator || value instanceof YaqlRegex) return value;
  if (typeof value === 'object') {
    return new YaqlDict(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJs(v, depth + 1)] as const));
  }
  throw new YaqlFault('TypeError', `a ${typeof value} is not data an expression can use`);
}

/**
 * Evaluator values back to JSON-like data, as yaql's output conversion and Python's `json.dumps`
 * would give them: tuples and iterators become arrays, floats numbers, dict keys strings
 * (`1` → `"1"`, `true` → `"true"`, `null` → `"null"`).
 */
export function toJs(value: YaqlValue, depth = 0): unknown {
  if (depth > MAX_DATA_DEPTH) throw new YaqlLimitFault(`data nests deeper than ${MAX_DATA_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map((item) => toJs(item, depth + 1));
  if (value instanceof YaqlIterator) return value.items.map((item) => toJs(item, depth + 1));
  if (value instanceof YaqlDict) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value.items()) {
      // defineProperty: a key named __proto__ is data, never the prototype.
      Object.defineProperty(out, jsonKey(key), { value: toJs(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new YaqlFault('TypeError', `the expression evaluates to a ${typeName(value)}, which is not data`);
}

function jsonKey(key: YaqlValue): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') return String(key);
  if (key instanceof PyFloat) return floatRepr(key.value);
  throw new YaqlFault('TypeError', `a dict key of type ${typeName(key)} cannot be a JSON key`);
}

/** Python's `repr(float)`: shortest round-trip digits, `1.0` not `1`, exponent from 1e16 and below 1e-4. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const exponential = value.toExponential(); // shortest digits, e.g. "1.5e+16"
  const [mantissa = '', exp = '0'] = exponential.split('e');
  const power = Number(exp);
  if (power < -4 || power >= 16) {
    const sign = power < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(power)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const negative = value < 0 ? '-' : '';
  if (power >= digits.length - 1) return `${negative}${digits}${'0'.repeat(power - digits.length + 1)}.0`;
  if (power >= 0) return `${negative}${digits.slice(0, power + 1)}.${digits.slice(power + 1)}`;
  return `${negative}0.${'0'.repeat(-power - 1)}${digits}`;
}
