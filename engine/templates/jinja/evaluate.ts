/** Evaluates Jinja expressions with Python's semantics. */
import type { Expr } from './ast.ts';
import { getattr, getitem } from './attributes.ts';
import { JinjaLimitError, JinjaRuntimeError, typeError } from './jinja-errors.ts';
import { binary, compare, concat, slice, unary } from './operators.ts';
import { pyStr } from './python-str.ts';
import type { FilterContext, RenderHooks, RenderSettings } from './runtime.ts';
import { NOT_FOUND, PyCallable, Undefined, codePoints, isDict, newDict, owned, truthy, tuple, typeName } from './values.ts';
import type { UndefinedMode } from './values.ts';

/** Variables of one level of jinja2's scoping (template, for body, macro call, with block). */
export class Scope {
  readonly vars = new Map<string, unknown>();
  readonly parent: Scope | undefined;
  constructor(parent?: Scope) {
    this.parent = parent;
  }

  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent ? this.parent.lookup(name) : NOT_FOUND;
  }
}

function wrapForeign(error: unknown, what: string): JinjaRuntimeError {
  if (error instanceof JinjaRuntimeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new JinjaRuntimeError(`${what}: ${message}`, error instanceof Error ? error.name : 'Error', { cause: error });
}

/** Expression evaluation; {@link Interpreter} adds statements on top. */
export class Evaluator implements FilterContext {
  protected steps = 0;
  protected readonly settings: RenderSettings;
  protected readonly context: Readonly<Record<string, unknown>>;

  constructor(settings: RenderSettings, context: Readonly<Record<string, unknown>>) {
    this.settings = settings;
    this.context = context;
  }

  get mode(): UndefinedMode {
    return this.settings.mode;
  }

  get hooks(): RenderHooks {
    return this.settings.hooks;
  }

  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.settings.limits.maxSteps) throw new JinjaLimitError(`the template took more than ${this.settings.limits.maxSteps} steps`);
  }

  getattr(obj: unknown, name: string): unknown {
    return getattr(obj, name, this.mode);
  }

  getitem(obj: unknown, key: unknown): unknown {
    return getitem(obj, key, this.mode);
  }

  hasFilter(name: string): boolean {
    return this.settings.filters.has(name);
  }

  hasTest(name: string): boolean {
    return this.settings.tests.has(name);
  }

  callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    const filter = this.settings.filters.get(name);
    if (!filter) throw new JinjaRuntimeError(`No filter named '${name}'.`, 'TemplateRuntimeError');
    try {
      return filter(this, value, args, kwargs);
    } catch (error) {
      throw wrapForeign(error, `filter ${name}`);
    }
  }

  callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean {
    const test = this.settings.tests.get(name);
    if (!test) throw new JinjaRuntimeError(`No test named '${name}'.`, 'TemplateRuntimeError');
    return test(this, value, args, kwargs);
  }

  /** Python's undefined for a name, in this render's mode. */
  undefinedName(name: string): Undefined {
    return new Undefined(`'${name}' is undefined`, this.mode);
  }

  lookupName(name: string, scope: Scope): unknown {
    const local = scope.lookup(name);
    if (local !== NOT_FOUND) return local;
    if (Object.hasOwn(this.context, name) && this.context[name] !== undefined) return this.context[name];
    if (Object.hasOwn(this.settings.globals, name) && this.settings.globals[name] !== undefined) return this.settings.globals[name];
    return this.undefinedName(name);
  }

  /** Evaluates `expr`; an error leaving it carries the position of the innermost node. */
  evaluate(expr: Expr, scope: Scope): unknown {
    this.step();
    try {
      const value = this.evaluateNode(expr, scope);
      if (value instanceof Undefined && value.pos === undefined) value.pos = expr.pos;
      return value;
    } catch (error) {
      const failure = wrapForeign(error, 'error');
      failure.position ??= expr.pos;
      throw failure;
    }
  }

  private evaluateNode(expr: Expr, scope: Scope): unknown {
    switch (expr.kind) {
      case 'const':
        return expr.value;
      case 'name':
        return this.lookupName(expr.name, scope);
      case 'tuple':
        return tuple(expr.items.map((item) => this.evaluate(item, scope)));
      case 'list':
        return owned(expr.items.map((item) => this.evaluate(item, scope)));
      case 'dict':
        return newDict(expr.pairs.map(([k, v]) => [pyStr(this.evaluate(k, scope)), this.evaluate(v, scope)]));
      case 'getattr':
        return this.getattr(this.evaluate(expr.node, scope), expr.attr);
      case 'getitem': {
        const obj = this.evaluate(expr.node, scope);
        if (expr.arg.kind === 'slice') {
          if (obj instanceof Undefined) return this.getitem(obj, null);
          const part = (e: Expr | undefined) => (e === undefined ? null : this.evaluate(e, scope));
          return slice(obj, part(expr.arg.start), part(expr.arg.stop), part(expr.arg.step));
        }
        return this.getitem(obj, this.evaluate(expr.arg, scope));
      }
      case 'slice':
        throw typeError('a slice is only valid inside []');
      case 'call': {
        const callee = expr.node.kind === 'getattr' ? this.method(expr.node, scope) : this.evaluate(expr.node, scope);
        const [args, kwargs] = this.arguments(expr, scope);
        return this.call(callee, args, kwargs);
      }
      case 'filter': {
        const input = expr.node === undefined ? '' : this.evaluate(expr.node, scope);
        const [args, kwargs] = this.arguments(expr, scope);
        return this.callFilter(expr.name, input, args, kwargs);
      }
      case 'test': {
        const [args, kwargs] = this.arguments(expr, scope);
        return this.callTest(expr.name, this.evaluate(expr.node, scope), args, kwargs);
      }
      case 'neg':
      case 'pos':
        return unary(expr.kind, this.evaluate(expr.node, scope));
      case 'not':
        return !truthy(this.evaluate(expr.node, scope));
      case 'binop':
        return binary(expr.op, this.evaluate(expr.left, scope), this.evaluate(expr.right, scope));
      case 'and': {
        const left = this.evaluate(expr.left, scope);
        return truthy(left) ? this.evaluate(expr.right, scope) : left;
      }
      case 'or': {
        const left = this.evaluate(expr.left, scope);
        return truthy(left) ? left : this.evaluate(expr.right, scope);
      }
      case 'concat':
        return concat(expr.items.map((item) => this.evaluate(item, scope)));
      case 'compare': {
        let left = this.evaluate(expr.expr, scope);
        for (const [op, rightExpr] of expr.ops) {
          const right = this.evaluate(rightExpr, scope);
          if (!compare(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'cond':
        if (truthy(this.evaluate(expr.test, scope))) return this.evaluate(expr.then, scope);
        if (expr.otherwise) return this.evaluate(expr.otherwise, scope);
        // jinja2 uses its plain Undefined here whatever the environment's: it renders as ''.
        return new Undefined(`the inline if-expression on line ${expr.pos.line} evaluated to false and no else section was defined.`, 'lenient');
    }
  }

  /** `obj.name` about to be called: jinja2's lookup order, the method before a key of that name. */
  private method(expr: Extract<Expr, { kind: 'getattr' }>, scope: Scope): unknown {
    this.step();
    try {
      return getattr(this.evaluate(expr.node, scope), expr.attr, this.mode, true);
    } catch (error) {
      const failure = wrapForeign(error, 'error');
      failure.position ??= expr.pos;
      throw failure;
    }
  }

  /** Applies the filter chain of `{% filter a | b %}` (or `{% set x | a %}`) to `value`. */
  filterBlock(expr: Expr, value: unknown, scope: Scope): unknown {
    if (expr.kind !== 'filter') throw typeError('expected a filter');
    const input = expr.node === undefined ? value : this.filterBlock(expr.node, value, scope);
    const [args, kwargs] = this.arguments(expr, scope);
    return this.callFilter(expr.name, input, args, kwargs);
  }

  protected arguments(expr: Extract<Expr, { args: Expr[] }>, scope: Scope): [unknown[], Record<string, unknown>] {
    const args = expr.args.map((arg) => this.evaluate(arg, scope));
    if (expr.dynArgs) args.push(...this.iterate(this.evaluate(expr.dynArgs, scope)));
    const kwargs = Object.create(null) as Record<string, unknown>;
    for (const [name, value] of expr.kwargs) kwargs[name] = this.evaluate(value, scope);
    if (expr.dynKwargs) {
      const extra = this.evaluate(expr.dynKwargs, scope);
      if (!isDict(extra)) throw typeError(`argument after ** must be a mapping, not ${typeName(extra)}`);
      Object.assign(kwargs, extra);
    }
    return [args, kwargs];
  }

  call(callee: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    if (callee instanceof PyCallable) return callee.call(args, kwargs);
    if (typeof callee === 'function') {
      try {
        return (callee as (...a: unknown[]) => unknown)(...args, ...(Object.keys(kwargs).length > 0 ? [{ ...kwargs }] : []));
      } catch (error) {
        throw wrapForeign(error, callee.name || 'function');
      }
    }
    if (callee instanceof Undefined) throw callee.fail();
    throw typeError(`'${typeName(callee)}' object is not callable`);
  }

  /** The items `for x in value` visits. */
  iterate(value: unknown): unknown[] {
    if (value instanceof Undefined) {
      if (value.mode === 'strict') throw value.fail();
      return [];
    }
    if (typeof value === 'string') return codePoints(value);
    if (Array.isArray(value)) return [...value];
    if (isDict(value)) return Object.keys(value);
    throw typeError(`'${typeName(value)}' object is not iterable`);
  }
}
