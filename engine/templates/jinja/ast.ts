/** The syntax tree jinja2's parser builds, reduced to what Attune evaluates. */
import type { SourcePosition } from './jinja-errors.ts';

interface At {
  pos: SourcePosition;
}

/** The operators of a comparison chain, named as jinja2's parser names them. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'lteq' | 'gt' | 'gteq' | 'in' | 'notin';
/** Arithmetic operators. */
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

/** Positional and keyword arguments of a call, filter or test. */
export interface Arguments {
  args: Expr[];
  kwargs: [string, Expr][];
  dynArgs?: Expr;
  dynKwargs?: Expr;
}

/** An expression node. */
export type Expr =
  | (At & { kind: 'const'; value: unknown })
  | (At & { kind: 'name'; name: string })
  | (At & { kind: 'tuple'; items: Expr[] })
  | (At & { kind: 'list'; items: Expr[] })
  | (At & { kind: 'dict'; pairs: [Expr, Expr][] })
  | (At & { kind: 'getattr'; node: Expr; attr: string })
  | (At & { kind: 'getitem'; node: Expr; arg: Expr })
  | (At & { kind: 'slice'; start?: Expr; stop?: Expr; step?: Expr })
  | (At & { kind: 'call'; node: Expr } & Arguments)
  | (At & { kind: 'filter'; node: Expr | undefined; name: string } & Arguments)
  | (At & { kind: 'test'; node: Expr; name: string } & Arguments)
  | (At & { kind: 'neg' | 'pos' | 'not'; node: Expr })
  | (At & { kind: 'binop'; op: BinaryOp; left: Expr; right: Expr })
  | (At & { kind: 'and' | 'or'; left: Expr; right: Expr })
  | (At & { kind: 'concat'; items: Expr[] })
  | (At & { kind: 'compare'; expr: Expr; ops: [CompareOp, Expr][] })
  | (At & { kind: 'cond'; test: Expr; then: Expr; otherwise?: Expr });

/** The left side of `set`, `for` and `with`. */
export type Target =
  | (At & { kind: 'name'; name: string })
  | (At & { kind: 'tuple'; items: Target[] })
  | (At & { kind: 'nsref'; name: string; attr: string });

/** A macro parameter, with its default expression if it has one. */
export interface MacroParam {
  name: string;
  default?: Expr;
}

/** A statement node: template data, `{{ }}` output and the block tags. */
export type Stmt =
  | (At & { kind: 'data'; text: string })
  | (At & { kind: 'print'; expr: Expr })
  | (At & { kind: 'if'; branches: { test: Expr; body: Stmt[] }[]; otherwise: Stmt[] })
  | (At & { kind: 'for'; target: Target; iter: Expr; test?: Expr; body: Stmt[]; otherwise: Stmt[]; recursive: boolean })
  | (At & { kind: 'set'; target: Target; expr: Expr })
  | (At & { kind: 'setblock'; target: Target; filter?: Expr; body: Stmt[] })
  | (At & { kind: 'macro'; name: string; params: MacroParam[]; body: Stmt[] })
  | (At & { kind: 'filterblock'; filter: Expr; body: Stmt[] })
  | (At & { kind: 'with'; targets: [Target, Expr][]; body: Stmt[] })
  | (At & { kind: 'scope'; body: Stmt[] });

/** Filters and tests a template names, checked against the environment before it renders. */
export interface TemplateNames {
  filters: Map<string, SourcePosition>;
  tests: Map<string, SourcePosition>;
}
