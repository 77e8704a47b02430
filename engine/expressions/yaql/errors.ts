import { AttuneError } from '../../errors/index.ts';

/**
 * The Python exception yaql (through Orquesta) raises for the same fault, kept so a caller or a
 * conformance test can tell faults apart without parsing messages: `KeyError` for a missing key,
 * `NoMatchingFunctionException` for arguments no overload accepts, and so on.
 */
export type YaqlFaultKind =
  | 'YaqlLexicalException'
  | 'YaqlGrammarException'
  | 'KeyError'
  | 'IndexError'
  | 'TypeError'
  | 'AttributeError'
  | 'ValueError'
  | 'StopIteration'
  | 'AssertionError'
  | 'ZeroDivisionError'
  | 'NoFunctionRegisteredException'
  | 'NoMethodRegisteredException'
  | 'NoMatchingFunctionException'
  | 'NoMatchingMethodException'
  | 'AmbiguousFunctionException'
  | 'MappingTranslationException'
  | 'VariableUndefinedError'
  | 'VariableInaccessibleError'
  | 'ExpressionEvaluationException'
  | 'LimitExceeded';

/** Where a fault is: the expression as written (with its `<% %>` when it had one) and an offset in it. */
export interface YaqlLocation {
  /** The expression, quoted in messages; a template's `<% … %>` segment, not the whole text. */
  expression: string;
  /** Zero-based offset in `expression`. */
  position: number;
}

/** Base of every error the YAQL evaluator raises; a workflow's expression is wrong: a client error. */
export class YaqlError extends AttuneError {
  override name = 'YaqlError';
  readonly expression: string;
  readonly position: number;
  readonly kind: YaqlFaultKind;
  /** The message without the location suffix, for callers that add their own context. */
  readonly reason: string;

  constructor(reason: string, kind: YaqlFaultKind, location: YaqlLocation, options: { code: string; cause?: unknown }) {
    super(`${reason} at ${location.position} in ${quote(location.expression)}`, {
      code: options.code,
      status: 400,
      cause: options.cause,
    });
    this.expression = location.expression;
    this.position = location.position;
    this.kind = kind;
    this.reason = reason;
  }
}

/** The expression does not lex or parse: `expected ')' at 14 in "<% ctx(x).foo( %>"`. */
export class YaqlSyntaxError extends YaqlError {
  override name = 'YaqlSyntaxError';
  constructor(reason: string, kind: 'YaqlLexicalException' | 'YaqlGrammarException', location: YaqlLocation) {
    super(reason, kind, location, { code: 'yaql_syntax' });
  }
}

/** The expression parsed but failed while evaluating: unknown function, missing key, wrong types. */
export class YaqlEvaluationError extends YaqlError {
  override name = 'YaqlEvaluationError';
  constructor(reason: string, kind: YaqlFaultKind, location: YaqlLocation, options?: { cause?: unknown }) {
    super(reason, kind, location, { code: 'yaql_evaluation', cause: options?.cause });
  }
}

/** The expression or its data is past a bound (nesting depth, length, collection size). */
export class YaqlLimitError extends YaqlError {
  override name = 'YaqlLimitError';
  constructor(reason: string, location: YaqlLocation) {
    super(reason, 'LimitExceeded', location, { code: 'yaql_limit' });
  }
}

/**
 * A fault raised inside a function before its location is known; the evaluator catches it at the
 * call site and turns it into a {@link YaqlEvaluationError} that names the expression and position.
 * Host functions (Orquesta's `ctx()`, `task()`) throw this to report a fault of the workflow.
 */
export class YaqlFault extends Error {
  override name = 'YaqlFault';
  readonly kind: YaqlFaultKind;
  constructor(kind: YaqlFaultKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** A bound was passed inside a function (collection size, string length, nesting depth). */
export class YaqlLimitFault extends YaqlFault {
  override name = 'YaqlLimitFault';
  constructor(message: string) {
    super('LimitExceeded', message);
  }
}

const MAX_QUOTED_CHARS = 200;

/** JSON-quoted and bounded, so a huge expression does not become a huge message. */
function quote(expression: string): string {
  const shown = expression.length > MAX_QUOTED_CHARS ? `${expression.slice(0, MAX_QUOTED_CHARS)}…` : expression;
  return JSON.stringify(shown);
}
