/** Runs a parsed template's statements: output, if, for, set, macros, filter and with blocks. */
import type { Expr, Stmt, Target } from './ast.ts';
import { Evaluator, Scope } from './evaluate.ts';
import { JinjaLimitError, JinjaRuntimeError, typeError, valueError } from './jinja-errors.ts';
import { pyEquals } from './operators.ts';
import { pyStr } from './python-str.ts';
import { NOT_FOUND, Namespace, PyCallable, PyObject, Undefined, truthy } from './values.ts';

/** jinja2's `loop` variable. */
class LoopContext extends PyObject {
  readonly typeName = 'LoopContext';
  index0 = 0;
  private lastChanged: unknown[] | undefined;
  private readonly items: unknown[];

  constructor(items: unknown[]) {
    super();
    this.items = items;
  }

  getAttr(name: string): unknown {
    const n = this.items.length;
    const i = this.index0;
    switch (name) {
      case 'index':
        return i + 1;
      case 'index0':
        return i;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return 1;
      case 'depth0':
        return 0;
      case 'previtem':
        return i > 0 ? this.items[i - 1] : new Undefined('there is no previous item', 'lenient');
      case 'nextitem':
        return i < n - 1 ? this.items[i + 1] : new Undefined('there is no next item', 'lenient');
      case 'cycle':
        return new PyCallable('cycle', (args) => {
          if (args.length === 0) throw typeError('no items for cycling given');
          return args[i % args.length];
        });
      case 'changed':
        return new PyCallable('changed', (args) => {
          const changed = this.lastChanged === undefined || !pyEquals(this.lastChanged, args);
          this.lastChanged = args;
          return changed;
        });
      default:
        return NOT_FOUND;
    }
  }

  describe(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}

/** Renders a template body. One instance per render. */
export class Interpreter extends Evaluator {
  private outputChars = 0;
  private callDepth = 0;

  /** Renders `body` with a fresh top-level scope. */
  renderBody(body: Stmt[]): string {
    return this.run(body, new Scope());
  }

  /** Evaluates one expression with a fresh top-level scope (whole-expression templates). */
  evaluateTop(expr: Expr): unknown {
    return this.evaluate(expr, new Scope());
  }

  private run(body: Stmt[], scope: Scope): string {
    const out: string[] = [];
    for (const stmt of body) this.exec(stmt, scope, out);
    return out.join('');
  }

  private emit(out: string[], text: string): void {
    this.outputChars += text.length;
    if (this.outputChars > this.settings.limits.maxOutputChars) {
      throw new JinjaLimitError(`the output would be longer than ${this.settings.limits.maxOutputChars} characters`);
    }
    out.push(text);
  }

  /** str() of a printed value; a StrictUndefined refuses to print. */
  printable(value: unknown): string {
    if (value instanceof Undefined && value.mode === 'strict') throw value.fail();
    return pyStr(value);
  }

  private exec(stmt: Stmt, scope: Scope, out: string[]): void {
    this.step();
    try {
      this.execNode(stmt, scope, out);
    } catch (error) {
      if (error instanceof JinjaRuntimeError) error.position ??= stmt.pos;
      throw error;
    }
  }

  private execNode(stmt: Stmt, scope: Scope, out: string[]): void {
    switch (stmt.kind) {
      case 'data':
        return this.emit(out, stmt.text);
      case 'print':
        return this.emit(out, this.printable(this.evaluate(stmt.expr, scope)));
      case 'if': {
        for (const branch of stmt.branches) {
          if (truthy(this.evaluate(branch.test, scope))) return this.emit(out, this.run(branch.body, scope));
        }
        return this.emit(out, this.run(stmt.otherwise, scope));
      }
      case 'for':
        return this.emit(out, this.runFor(stmt, scope));
      case 'set':
        return this.assign(stmt.target, this.evaluate(stmt.expr, scope), scope);
      case 'setblock': {
        const text = this.run(stmt.body, new Scope(scope));
        return this.assign(stmt.target, stmt.filter ? this.filterBlock(stmt.filter, text, scope) : text, scope);
      }
      case 'macro':
        scope.vars.set(stmt.name, this.macro(stmt, scope));
        return;
      case 'filterblock':
        return this.emit(out, this.printable(this.filterBlock(stmt.filter, this.run(stmt.body, new Scope(scope)), scope)));
      case 'with': {
        const inner = new Scope(scope);
        for (const [target, expr] of stmt.targets) this.assign(target, this.evaluate(expr, scope), inner);
        return this.emit(out, this.run(stmt.body, inner));
      }
      case 'scope':
        return this.emit(out, this.run(stmt.body, new Scope(scope)));
    }
  }

  private runFor(stmt: Extract<Stmt, { kind: 'for' }>, scope: Scope): string {
    let items = this.iterate(this.evaluate(stmt.iter, scope));
    if (stmt.test) {
      const test = stmt.test;
      items = items.filter((item) => {
        const probe = new Scope(scope);
        this.assign(stmt.target, item, probe);
        return truthy(this.evaluate(test, probe));
      });
    }
    if (items.length === 0) return this.run(stmt.otherwise, new Scope(scope));
    const loop = new LoopContext(items);
    const out: string[] = [];
    for (let i = 0; i < items.length; i += 1) {
      this.step();
      loop.index0 = i;
      const body = new Scope(scope);
      body.vars.set('loop', loop);
      this.assign(stmt.target, items[i], body);
      out.push(this.run(stmt.body, body));
    }
    return out.join('');
  }

  private assign(target: Target, value: unknown, scope: Scope): void {
    if (target.kind === 'name') {
      scope.vars.set(target.name, value);
      return;
    }
    if (target.kind === 'nsref') {
      const ns = scope.lookup(target.name);
      if (!(ns instanceof Namespace)) throw new JinjaRuntimeError('cannot assign attribute on non-namespace object', 'TemplateRuntimeError');
      ns.attrs[target.attr] = value;
      return;
    }
    const items = this.iterate(value);
    if (items.length !== target.items.length) {
      throw valueError(items.length > target.items.length ? `too many values to unpack (expected ${target.items.length})` : `not enough values to unpack (expected ${target.items.length}, got ${items.length})`);
    }
    target.items.forEach((item, i) => this.assign(item, items[i], scope));
  }

  private macro(stmt: Extract<Stmt, { kind: 'macro' }>, defining: Scope): PyCallable {
    return new PyCallable(
      stmt.name,
      (args, kwargs) => {
        if (args.length > stmt.params.length) throw typeError(`macro '${stmt.name}' takes not more than ${stmt.params.length} argument(s)`);
        const scope = new Scope(defining);
        stmt.params.forEach((param, i) => {
          if (i < args.length) scope.vars.set(param.name, args[i]);
          else if (Object.hasOwn(kwargs, param.name)) scope.vars.set(param.name, kwargs[param.name]);
          else if (param.default) scope.vars.set(param.name, this.evaluate(param.default, scope));
          else scope.vars.set(param.name, new Undefined(`parameter '${param.name}' was not provided`, this.mode));
        });
        const unknown = Object.keys(kwargs).filter((k) => !stmt.params.some((p) => p.name === k));
        if (unknown.length > 0) throw typeError(`macro '${stmt.name}' takes no keyword argument '${unknown[0]}'`);
        this.callDepth += 1;
        try {
          if (this.callDepth > this.settings.limits.maxCallDepth) throw new JinjaLimitError(`macros nest deeper than ${this.settings.limits.maxCallDepth} calls`);
          return this.run(stmt.body, scope);
        } finally {
          this.callDepth -= 1;
        }
      },
      `<Macro '${stmt.name}'>`,
    );
  }
}
