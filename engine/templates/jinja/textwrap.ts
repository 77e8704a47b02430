/** Python's textwrap.wrap as jinja2's wordwrap filter calls it (no tab expansion, whitespace kept). */
import { valueError } from './jinja-errors.ts';
import { codePoints, strLength } from './values.ts';

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const WORD = '[\\p{L}\\p{N}\\p{M}_]';
const WORD_PUNCT = '[\\p{L}\\p{N}\\p{M}_!"\'&.,?]';
const LETTER = '[\\p{L}\\p{M}_]';
// TextWrapper.wordsep_re: whitespace, em-dashes, and words split after their hyphens.
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=${WORD})|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
  'u',
);
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`, 'u');

const blank = (chunk: string) => chunk.trim() === '';

/** textwrap.wrap(text, width, break_long_words, break_on_hyphens) with drop_whitespace on. */
export function wrap(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  if (width <= 0) throw valueError(`invalid width ${width} (must be > 0)`);
  const chunks = text.split(breakOnHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c !== '').reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let length = 0;
    if (lines.length > 0 && blank(chunks.at(-1) as string)) chunks.pop();
    while (chunks.length > 0 && length + strLength(chunks.at(-1) as string) <= width) {
      const chunk = chunks.pop() as string;
      line.push(chunk);
      length += strLength(chunk);
    }
    if (chunks.length > 0 && strLength(chunks.at(-1) as string) > width) {
      const spaceLeft = width < 1 ? 1 : width - length;
      if (breakLongWords) {
        const chunk = codePoints(chunks.at(-1) as string);
        let end = spaceLeft;
        if (breakOnHyphens && chunk.length > spaceLeft) {
          const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
          if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end).join(''));
        chunks[chunks.length - 1] = chunk.slice(end).join('');
      } else if (line.length === 0) line.push(chunks.pop() as string);
    }
    if (line.length > 0 && blank(line.at(-1) as string)) line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}
