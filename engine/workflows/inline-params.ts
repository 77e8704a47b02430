/**
 * Orquesta's `key=value` shorthand (`action: core.echo message=<% ctx(x) %> times=2`, `publish:
 * a=<% result() %> b=2`), parsed as `orquesta.utils.parameters.parse_inline_params` does: values
 * in quotes, brackets, numbers, booleans, null, or one `<% %>` / `{{ }}` / `{% %}` expression; a
 * value that reads as JSON becomes that JSON value.
 */

const VARIANTS = [
  String.raw`\[.*\]\s*`,
  String.raw`"[^"]*"\s*`,
  String.raw`'[^']*'\s*`,
  String.raw`[-]?\d*\.\d+`,
  String.raw`[-]?\d+`,
  '[Tt][Rr][Uu][Ee]',
  '[Ff][Aa][Ll][Ss][Ee]',
  'null',
  '<%.*?%>',
  '{{.*?}}',
  '{%.*?%}',
];
const INLINE = new RegExp(String.raw`(\w+)=(${VARIANTS.join('|')})`, 'g');
const IN_QUOTES = /"[^"]*"\s*/;
const IN_APOSTROPHES = /'[^']*'\s*/;

/** The `key=value` pairs of a text in the order written; none when the text has no such pair. */
export function parseInlineParams(text: string): [string, unknown][] {
  const params: [string, unknown][] = [];
  for (const match of text.matchAll(INLINE)) {
    const key = match[1] as string;
    let value: string = (match[2] as string).trim();
    const quoted = IN_QUOTES.test(value) || IN_APOSTROPHES.test(value);
    value = value.replace(/^"/, '').replace(/"$/, '').replace(/^'/, '').replace(/'$/, '');
    let quotesInString = false;
    if (value !== '') quotesInString = quoted && !(value.startsWith('{') && value.endsWith('}'));
    let parsed: unknown = value;
    if (!quotesInString) {
      const lowered = value.toLowerCase();
      try {
        parsed = JSON.parse(lowered === 'true' || lowered === 'false' ? lowered : value);
      } catch {
        // Python's json.loads refused it too: the text stays as written.
        parsed = value;
      }
    }
    params.push([key, parsed]);
  }
  return params;
}
