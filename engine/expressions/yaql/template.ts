/** One `<% … %>` found in a text. */
export interface ExpressionSegment {
  /** The segment as written, delimiters included: what messages quote. */
  segment: string;
  /** Offset of the segment in the text. */
  start: number;
  /** The expression inside, delimiters and surrounding blanks stripped. */
  expression: string;
  /** Offset of `expression` inside `segment`. */
  offset: number;
}

// Orquesta's pattern `<%.*?%>`: Python's `.` stops only at '\n', so an expression never spans lines.
const SEGMENT = /<%[^\n]*?%>/g;
const DELIMITER_CHARS = new Set(['<', '%', '>']);
// Python's str.strip() blanks: every Unicode whitespace plus the ASCII separators 0x1c-0x1f.
const PY_SPACE = /\s/;
const PY_SEPARATORS = new Set(['\u001c', '\u001d', '\u001e', '\u001f']);
const isPySpace = (ch: string): boolean => PY_SPACE.test(ch) || PY_SEPARATORS.has(ch);

/** Whether a text holds at least one `<% … %>`. */
export function hasExpressions(text: string): boolean {
  SEGMENT.lastIndex = 0;
  return SEGMENT.test(text);
}

/**
 * The `<% … %>` segments of a text, in order, as Orquesta finds them. The expression is what
 * Orquesta evaluates: the segment with any of `<`, `%`, `>` stripped from both ends, then blanks
 * (so `<%= x %>` is not an expression of `= x`, and `<% a > %>` loses its `>`).
 *
 * @example findExpressions('hi <% ctx(name) %>!') // [{ segment: '<% ctx(name) %>', start: 3, expression: 'ctx(name)', offset: 3 }]
 */
export function findExpressions(text: string): ExpressionSegment[] {
  const found: ExpressionSegment[] = [];
  for (const match of text.matchAll(SEGMENT)) {
    const segment = match[0];
    let from = 0;
    let to = segment.length;
    while (from < to && DELIMITER_CHARS.has(segment[from] as string)) from += 1;
    while (to > from && DELIMITER_CHARS.has(segment[to - 1] as string)) to -= 1;
    while (from < to && isPySpace(segment[from] as string)) from += 1;
    while (to > from && isPySpace(segment[to - 1] as string)) to -= 1;
    found.push({ segment, start: match.index, expression: segment.slice(from, to), offset: from });
  }
  return found;
}
