/** Longest expression accepted, in characters: far past any real one, short of a pasted document. */
export const MAX_EXPRESSION_CHARS = 100_000;

/** Deepest nesting of an expression (parentheses, calls, operator chains); yaql has none, Python stops near 1000 frames. */
export const MAX_NESTING_DEPTH = 200;

/** Deepest nesting of data the evaluator converts, compares or prints: bounds its recursion. */
export const MAX_DATA_DEPTH = 256;

/** Most items one collection may hold (range, repetition, joins): bounds memory. */
export const MAX_COLLECTION_ITEMS = 1_000_000;

/** Longest string an operation may build ('x' * n, joins, formats): 10 Mi characters. */
export const MAX_STRING_CHARS = 10 * 1024 * 1024;

/** Function calls one expression may make (1.5 to 3 µs each): bounds its time to about two seconds. */
export const MAX_EVALUATION_STEPS = 1_000_000;

/** How many times Orquesta re-evaluates a result that is itself a `<% %>` string. */
export const MAX_RECURSIVE_RENDERS = 32;
