/**
 * YAQL, the expression language of StackStorm Orquesta workflows (`<% ctx(vms).select($.name) %>`),
 * after yaql 1.1.3 as Orquesta 1.2.0 runs it: a lexer and parser to a tree, an evaluator with
 * yaql's function resolution, yaql's standard library, Orquesta's `<% %>` rendering, and Orquesta's
 * `ctx()`, `json()`, `zip()`, `item()`.
 *
 * Language: integers, floats (`1.5`, no exponent), strings in `'…'`, `"…"` (Python escapes) or
 * `` `…` `` (verbatim), `true false null`, lists `[1, 2]`, dicts `{a => 1}`, `$`, `$name`, `$.key`,
 * `x[0]`, `x['k']`, `x['k', default]`, method calls `x.f(…)`, `?.`, `->` (with `let()`/`with()`),
 * `name => value` arguments, and the operators, loosest first: `->`; `or`; `and`; `not`;
 * `= != < <= > >= in`; `+ -`; `* / mod`; `=~ !~`; unary `+ -`; indexing; `.` `?.`.
 * Python semantics are kept where they show: `/` of two ints floors, `mod` takes the divisor's sign,
 * `1 = 1.0 = true`, `'a' * 3`, `str()` and text rendering print as Python (`None`, `True`, `1.0`,
 * `['a']`, `{'k': None}`), input lists are tuples (`str([1])` is `(1,)`), `select()`/`where()`
 * give iterators (not lists: `isList` is false, `[0]` does not apply, always truthy).
 * In Orquesta's rendering `$` is null, as there (workflows use `ctx()`); {@link evaluate} binds it
 * to `data`. Data arrives as JSON, which cannot tell `2.0` from `2`: an integral number is an int.
 *
 * Standard library, as in yaql: operators; `str len toUpper toLower split rightSplit join concat
 * trim trimLeft trimRight norm isEmpty replace format substring indexOf lastIndexOf toCharArray
 * isString startsWith endsWith hex`; `abs int float round pow sign max min random isInteger isNumber
 * bitwiseAnd bitwiseOr bitwiseXor bitwiseNot shiftBitsLeft shiftBitsRight bool isBoolean`;
 * `list flatten toList dict toDict get set keys values items contains containsKey containsValue
 * delete deleteAll insert insertMany replace replaceMany isList isDict isIterable`; `where filter
 * select map selectMany skip limit take append distinct enumerate any all concat count memorize sum
 * max min first single last range orderBy orderByDescending thenBy thenByDescending groupBy join zip
 * zipLongest repeat takeWhile skipWhile indexOf lastIndexOf indexWhere lastIndexWhere slice
 * splitWhere sliceWhere splitAt aggregate reduce accumulate reverse mergeWith defaultIfEmpty`;
 * `switch selectCase selectAllCases examine switchCase coalesce let with assert`; `regex matches
 * search searchAll split replace replaceBy escapeRegex isRegex`.
 *
 * Not supported: date and time functions (`now()`, `datetime()`, timespans), sets (`set()`,
 * `toSet()`, `union`…), `sequence()`, `cycle()`, unbounded `repeat()`, `def()`, `call()`,
 * `unpack()`, `generate()`, `characters()`, delegates (`$f(x)`), yaql's legacy mode. Regexes run
 * on JavaScript's engine (Python syntax translated; `\w`, `\d`, `\b` are ASCII). Lazy results are
 * computed at once: an iterator used twice is not exhausted as in Python, an error inside a
 * `select()` or `where()` whose result yaql would never read still fails here, and `str()` of an
 * iterator prints its items where Python prints `<map object at 0x…>`.
 *
 * Bounds (limits.ts): expression length and nesting, data depth, collection size, string size,
 * evaluation steps (shared by the expressions of one render), and recursive renders, each failing
 * with YaqlLimitError. Every error is a YaqlError (an AttuneError, status 400) naming the
 * expression as written and a position in it, with `kind` the Python exception yaql raises there;
 * messages describe data by type, never by value.
 *
 * Host functions: {@link evaluate} and {@link renderText} take a table of functions (name → JS
 * function, or `{ params, fn }` with a signature) searched before the standard library, each
 * receiving its evaluated arguments as JSON-like data and the caller's host object (for Orquesta,
 * the workflow context). {@link ORQUESTA_FUNCTIONS} holds `ctx json zip item`; the conductor adds
 * `task result succeeded failed completed task_status st2kv`.
 *
 * @example
 * renderText('<% ctx(vms).where($.role = web).select($.name) %>', { vms }) // ['vmweb1', 'vmweb2']
 * renderText('<% ctx(x).foo( %>', {}) // throws YaqlSyntaxError: expected ')' at 14 in "<% ctx(x).foo( %>"
 */
export { compile, CompiledExpression, evaluate } from './evaluator.ts';
export type { EvaluateOptions, HostCall, HostFunction, HostFunctionSpec, HostFunctions } from './evaluator.ts';
export { parse } from './parser.ts';
export { tokenize } from './lexer.ts';
export type { Token, TokenType } from './lexer.ts';
export type { ArgNode, CallNode, ConstantNode, KeywordNode, MappingNode, Node, SkippedArg, VariableNode, WrapNode } from './ast.ts';
export { YaqlError, YaqlEvaluationError, YaqlFault, YaqlLimitError, YaqlLimitFault, YaqlSyntaxError } from './errors.ts';
export type { YaqlFaultKind, YaqlLocation } from './errors.ts';
export { findExpressions, hasExpressions } from './template.ts';
export type { ExpressionSegment } from './template.ts';
export { ORQUESTA_FUNCTIONS, renderText, renderValue, validateText } from './orquesta.ts';
export type { OrquestaContext, RenderOptions } from './orquesta.ts';
export { standardFunctionNames } from './library.ts';
export { fromJs, toJs } from './convert.ts';
export { PyFloat, pyEquals, YaqlDict, YaqlIterator } from './values.ts';
export type { YaqlValue } from './values.ts';
export { pyRepr, pyStr } from './python-text.ts';
export { MAX_COLLECTION_ITEMS, MAX_DATA_DEPTH, MAX_EVALUATION_STEPS, MAX_EXPRESSION_CHARS, MAX_NESTING_DEPTH, MAX_RECURSIVE_RENDERS, MAX_STRING_CHARS } from './limits.ts';
