/**
 * Shared by the Node and shell wrappers (plain JavaScript, no dependencies, so each wrapper stays
 * runnable by hand). Kept in step with describeJsonSyntaxError in engine/rules/json.ts.
 */

/** JSON that may hold secrets did not parse; the message says where, never what. */
export class InvalidJson extends Error {
  name = 'InvalidJson';
}

/**
 * Parses JSON that may hold secrets (the input document, a script's result). V8's parse error
 * quotes the start of its input, so a failure is reported by position and length only, with no cause.
 */
export function parseSecretJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const size = `${text.length} character${text.length === 1 ? '' : 's'}`;
    const position = /\bat position (\d+)/.exec(error?.message ?? '')?.[1];
    let problem;
    if (text.trim() === '') problem = `is empty (${size})`;
    else if (/Unexpected end of JSON input/.test(error?.message ?? '')) problem = `ends before its JSON value does (${size})`;
    else problem = position === undefined ? `is not valid JSON (${size})` : `is not valid JSON at position ${position} (of ${size})`;
    throw new InvalidJson(`${what} ${problem}`);
  }
}
