/**
 * The syntax tree of a YAQL expression. Every node keeps `pos`, the offset of its first character
 * (for operators: of the operator), so an evaluation error names where it happened.
 *
 * Shapes follow yaql 1.1's own tree (`yaql/language/expressions.py`): operators, indexing, list and
 * dict literals are calls of internal functions (`#operator_+`, `#indexer`, `#list`, `#map`), which
 * is how yaql dispatches them by the types of their operands.
 */
export type Node =
  | ConstantNode
  | KeywordNode
  | VariableNode
  | WrapNode
  | CallNode
  | MappingNode;

/** A string, number, `true`, `false` or `null` written in the expression. */
export interface ConstantNode {
  type: 'constant';
  value: unknown;
  pos: number;
}

/** A bare identifier (`foo` in `$.foo` or `ctx(foo)`): evaluates to the string `"foo"`. */
export interface KeywordNode {
  type: 'keyword';
  name: string;
  pos: number;
}

/** `$`, `$name`, `$1`: a value of the evaluation context. */
export interface VariableNode {
  type: 'variable';
  /** As written, `$` included. */
  name: string;
  pos: number;
}

/** `( expr )`: kept so a parenthesised expression is not taken as a method call. */
export interface WrapNode {
  type: 'wrap';
  expr: Node;
  pos: number;
}

/**
 * A call. `callKind` tells how it was written: `function` for `name(args)` (and, with a receiver,
 * `recv.name(args)`), `operator` for binary and unary operators, `index` for `x[i]`, `list` for
 * `[a, b]`, `map` for `{k => v}`.
 */
export interface CallNode {
  type: 'call';
  name: string;
  callKind: 'function' | 'operator' | 'index' | 'list' | 'map';
  args: ArgNode[];
  pos: number;
}

/** `name => value` inside an argument list. */
export interface MappingNode {
  type: 'mapping';
  source: Node;
  destination: Node;
  pos: number;
}

/** An argument: an expression, a `=>` pair, or a skipped position (`f(, 1)`). */
export type ArgNode = Node | SkippedArg;

/** A position left empty in an argument list: the parameter takes its default. */
export interface SkippedArg {
  type: 'skipped';
  pos: number;
}

/** A node that a method call can be made of: `recv.name(args)` needs `name(args)` on the right. */
export function usesReceiver(node: Node): boolean {
  return node.type === 'call' && node.callKind === 'function';
}
