/** Bounds on one template render. A template is pack code, but it renders inside the intake path. */

/** Expression evaluations and loop iterations: ample for any real parameter, stops runaway loops. */
export const MAX_TEMPLATE_STEPS = 1_000_000;

/** Characters one render may output: a parameter is stored in a DynamoDB item (400 KB at most). */
export const MAX_TEMPLATE_OUTPUT_CHARS = 1_048_576;

/** Nested macro calls: recursion deeper than this is a loop, not a template. */
export const MAX_TEMPLATE_CALL_DEPTH = 64;

/** Characters of template source; pack files hold nothing near this. */
export const MAX_TEMPLATE_SOURCE_CHARS = 262_144;

/** Parsed templates kept for reuse; rules render the same few templates again and again. */
export const TEMPLATE_CACHE_ENTRIES = 1000;
