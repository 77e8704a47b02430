/** jinja2's sandboxed attribute and item lookup (`x.name`, `x['name']`, `x[0]`). */
import { methodOf } from './methods.ts';
import { pyRepr } from './python-str.ts';
import { NOT_FOUND, PyObject, Undefined, codePoints, isDict, namedField, toNumber, typeName } from './values.ts';
import type { UndefinedMode } from './values.ts';

function objectType(value: unknown): string {
  return `'${typeName(value)} object'`;
}

function missingAttribute(obj: unknown, name: string, mode: UndefinedMode): Undefined {
  return new Undefined(`${objectType(obj)} has no attribute ${pyRepr(name)}`, mode);
}

function missingElement(obj: unknown, key: unknown, mode: UndefinedMode): Undefined {
  return new Undefined(`${objectType(obj)} has no element ${pyRepr(key)}`, mode);
}

/** Python's getattr(): methods of str/list/dict and attributes of template objects. */
function pythonAttribute(obj: unknown, name: string, mode: UndefinedMode): unknown {
  if (obj instanceof PyObject) return obj.getAttr(name);
  if (Array.isArray(obj)) {
    const field = namedField(obj, name);
    if (field !== NOT_FOUND) return field;
  }
  const field = (value: unknown, key: string, isItem: boolean) => (isItem ? getitem(value, /^\d+$/.test(key) ? Number(key) : key, mode) : getattr(value, key, mode));
  return methodOf(obj, name, field) ?? NOT_FOUND;
}

/**
 * `obj.name`: the attribute first, then the item (jinja2's Environment.getattr). Names starting
 * with `_` are refused (sandbox).
 *
 * One departure: when `d.items` is not called and `d` has a key "items", the key's value wins.
 * jinja2 would yield the bound method, which no template can use uncalled, so every template that
 * works under jinja2 renders the same, and payloads with keys such as "items" or "keys" read as
 * their authors mean. `d.items()` is still the method.
 */
export function getattr(obj: unknown, name: string, mode: UndefinedMode, called = false): unknown {
  if (obj instanceof Undefined) {
    if (obj.mode === 'chainable') return obj;
    throw obj.fail();
  }
  if (name.startsWith('_')) return new Undefined(`access to attribute ${pyRepr(name)} of ${pyRepr(typeName(obj))} object is unsafe.`, mode);
  if (!called && isDict(obj) && Object.hasOwn(obj, name) && obj[name] !== undefined) return obj[name];
  const attribute = pythonAttribute(obj, name, mode);
  if (attribute !== NOT_FOUND) return attribute;
  if (isDict(obj) && Object.hasOwn(obj, name) && obj[name] !== undefined) return obj[name];
  return missingAttribute(obj, name, mode);
}

/** `obj[key]`: the item first, then (for a string key) the attribute. */
export function getitem(obj: unknown, key: unknown, mode: UndefinedMode): unknown {
  if (obj instanceof Undefined) {
    if (obj.mode === 'chainable') return obj;
    throw obj.fail();
  }
  const item = lookupItem(obj, key);
  if (item !== NOT_FOUND && item !== undefined) return item;
  if (typeof key === 'string') {
    if (key.startsWith('_')) return new Undefined(`access to attribute ${pyRepr(key)} of ${pyRepr(typeName(obj))} object is unsafe.`, mode);
    const attribute = pythonAttribute(obj, key, mode);
    if (attribute !== NOT_FOUND) return attribute;
    return missingAttribute(obj, key, mode);
  }
  return missingElement(obj, key, mode);
}

function lookupItem(obj: unknown, key: unknown): unknown {
  if (isDict(obj)) return typeof key === 'string' && Object.hasOwn(obj, key) ? obj[key] : NOT_FOUND;
  if (obj instanceof PyObject) return typeof key === 'string' ? obj.getAttr(key) : NOT_FOUND;
  if (typeof key !== 'number' && typeof key !== 'boolean') return NOT_FOUND;
  const index = toNumber(key);
  if (!Number.isInteger(index)) return NOT_FOUND;
  const seq = typeof obj === 'string' ? codePoints(obj) : Array.isArray(obj) ? obj : undefined;
  if (!seq) return NOT_FOUND;
  const i = index < 0 ? seq.length + index : index;
  return i >= 0 && i < seq.length ? seq[i] : NOT_FOUND;
}

/** `attr` filter: the attribute only, never the item (jinja2's do_attr in the sandbox). */
export function attributeOnly(obj: unknown, name: string, mode: UndefinedMode): unknown {
  if (obj instanceof Undefined) return obj;
  if (name.startsWith('_')) return new Undefined(`access to attribute ${pyRepr(name)} of ${pyRepr(typeName(obj))} object is unsafe.`, mode);
  const attribute = pythonAttribute(obj, name, mode);
  return attribute === NOT_FOUND ? missingAttribute(obj, name, mode) : attribute;
}
