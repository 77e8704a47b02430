import type { YaqlValue } from './values.ts';

/**
 * yaql's context: variables by name, looked up through parents. `$` is another name for `$1`,
 * the first argument of a lambda (`select($ * 2)`) or the data the expression runs on; a missing
 * variable is null, as in yaql.
 */
export class Scope {
  readonly parent: Scope | undefined;
  private readonly vars = new Map<string, YaqlValue>();

  constructor(parent?: Scope) {
    this.parent = parent;
  }

  child(): Scope {
    return new Scope(this);
  }

  get(name: string): YaqlValue {
    const key = normalize(name);
    if (this.vars.has(key)) return this.vars.get(key) as YaqlValue;
    for (let scope = this.parent; scope !== undefined; scope = scope.parent) {
      if (scope.vars.has(key)) return scope.vars.get(key) as YaqlValue;
    }
    return null;
  }

  set(name: string, value: YaqlValue): void {
    this.vars.set(normalize(name), value);
  }
}

function normalize(name: string): string {
  const prefixed = name.startsWith('$') ? name : `$${name}`;
  return prefixed === '$' ? '$1' : prefixed;
}
