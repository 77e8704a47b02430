/**
 * Longest value, in UTF-16 code units, that `matchwildcard`, `regex`, `iregex` and `matchregex`
 * match: 1 MiB, the largest JSON body the HTTP API accepts, so every webhook value is matched
 * whole. Values from other sources (action results, events) can be longer; past this bound the
 * criterion does not hold and the reason is logged, which caps one criterion's work on a payload.
 */
export const MATCH_INPUT_MAX_CHARS = 1024 * 1024;

/**
 * Longest pattern a template may render for `matchwildcard` and the regex operators: 4 KiB. Such a
 * pattern carries payload data, so its size is bounded like the value's; patterns written in the
 * rule file are the pack author's and are checked when the pack is registered instead.
 */
export const RENDERED_PATTERN_MAX_CHARS = 4 * 1024;

/**
 * Work bound of one wildcard match, in character comparisons. The matcher makes at most
 * (value length + pattern length) × (longest run of the pattern between two `*`) of them, so a
 * pattern whose runs are up to 128 characters is always matched to the end against a value at the
 * input bound; past it (only a long rendered pattern can get there) the criterion does not hold
 * and the reason is logged.
 */
export const WILDCARD_MAX_STEPS = (MATCH_INPUT_MAX_CHARS + RENDERED_PATTERN_MAX_CHARS) * 128;

/** Compiled regular expressions and wildcard patterns kept per process (patterns are few; rendered ones may vary). */
export const REGEX_CACHE_MAX = 500;
