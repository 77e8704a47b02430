import { isPlainObject } from './json.ts';

/** The result of looking a dotted path up: `found` is false when any segment is missing. */
export interface PathLookup {
  found: boolean;
  value: unknown;
}

/**
 * Follows a dotted path (`trigger.body.items.0.name`) through objects and arrays. A numeric
 * segment indexes an array; only own properties are followed, never the prototype chain.
 */
export function lookupPath(root: unknown, path: string): PathLookup {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      if (index >= current.length) return { found: false, value: undefined };
      current = current[index];
    } else if (isPlainObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}
