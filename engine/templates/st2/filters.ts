/**
 * StackStorm's own Jinja filters (st2common/util/jinja.py get_filters), written after the
 * behaviour of st2common/expressions/functions/*.py and checked against it by the conformance goldens.
 */
import { parse as parseYaml } from 'yaml';
import { JinjaRuntimeError, PyFloat, REQUIRED, filter, isFloat, makeFloat, parseJsonPython, pyJsonDumps, text, toNumber, typeError, valueError } from '../jinja/index.ts';
import type { Filter } from '../jinja/index.ts';
import { jsonpathQuery } from './jsonpath.ts';
import { reFindAll, reMatch, reSearch, reSub, subject } from './regex.ts';
import { bumpVersion, compareVersions, matchVersion, parseVersion } from './version.ts';
import { yamlSafeDump } from './yaml-dump.ts';

/** st2's marker for None in parameters (data.NONE_MAGIC_VALUE); casting turns it back into None. */
export const NONE_MAGIC_VALUE = '%*****__%NONE%__*****%';

interface YamlTag {
  tag?: string;
  test?: RegExp;
}

// PyYAML's float resolver: a dot is required, an exponent needs its sign (`1e3` is a string).
const PYYAML_FLOAT = {
  identify: (value: unknown) => value instanceof PyFloat,
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/,
  resolve: (text: string) => makeFloat(Number(text.replace(/_/g, ''))),
};

// PyYAML's booleans: YAML 1.1's y/Y/n/N are strings there.
const PYYAML_BOOLEANS = [true, false].map((value) => ({
  identify: (v: unknown) => v === value,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: value ? /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/ : /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  resolve: () => value,
}));

// Timestamps, which PyYAML reads as datetime objects with no JSON form, stay text here; floats
// and booleans follow PyYAML's patterns, and floats keep their type, so `1.0` still prints as 1.0.
function pythonTags(tags: YamlTag[]): unknown[] {
  const kept = tags.filter(
    (tag) =>
      tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.tag !== 'tag:yaml.org,2002:bool' && (tag.tag !== 'tag:yaml.org,2002:float' || /inf/.test(String(tag.test))),
  );
  return [...kept, ...PYYAML_BOOLEANS, PYYAML_FLOAT];
}

const YAML_OPTIONS = { version: '1.1', uniqueKeys: false, customTags: pythonTags, maxAliasCount: 100 } as const;

function humanTime(seconds: unknown): string | null {
  if (!(typeof seconds === 'number' || seconds instanceof PyFloat)) throw new JinjaRuntimeError('', 'AssertionError');
  const value = toNumber(seconds);
  if (value === 0) return '0s';
  if (value < 1) return `${text(seconds)}\u03bcs`;
  const whole = isFloat(seconds) ? roundHalfEvenInt(value) : value;
  // datetime(1, 1, 1) + timedelta(seconds): st2 reads the day of the month, as its code does.
  const date = new Date(Date.UTC(2000, 0, 1));
  date.setUTCFullYear(1, 0, 1);
  date.setUTCSeconds(whole);
  const parts = [date.getUTCFullYear() - 1, date.getUTCDate() - 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  const first = parts.findIndex((p) => p !== 0);
  if (first < 0) return '0s';
  const used = parts.slice(first);
  const units = ['y', 'd', 'h', 'm', 's'].slice(5 - used.length);
  return used.map((p, i) => `${p}${units[i]}`).join('');
}

function roundHalfEvenInt(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function posixPath(value: unknown): string {
  if (typeof value !== 'string') throw typeError(`expected str, bytes or os.PathLike object, not ${typeof value}`);
  return value;
}

function dirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

function regexFilter<T>(name: string, signature: readonly (readonly [string, unknown])[], fn: (s: string, args: unknown[]) => T): Filter {
  return filter(name, signature, (_ctx, value, args) => fn(subject(value, text), args));
}

/** st2's filters by name. `decrypt_kv` calls the caller's `decryptKv` hook. */
/** Characters `shlex.quote` leaves bare (its `[\w@%+=:,./-]`, ASCII only). */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Python's `shlex.quote(str(value))`: the text as one shell word, single-quoted unless it is made
 * of safe characters only, an empty text as `''`. A list becomes its items quoted, space-separated
 * (one word each). Attune's own filter (not st2's): `cmd: "grep -- {{ pattern | shell_quote }} f"`.
 */
export function shellQuote(value: unknown): string {
  if (Array.isArray(value)) return value.map(shellQuote).join(' ');
  const word = text(value);
  if (word === '') return "''";
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export const ST2_FILTERS: Record<string, Filter> = {
  shell_quote: filter('shell_quote', [], (_ctx, value) => shellQuote(value)),
  decrypt_kv: filter('decrypt_kv', [], (ctx, value) => {
    const hook = ctx.hooks.decryptKv;
    if (!hook) throw valueError('decrypt_kv cannot read the datastore here');
    return hook(value);
  }),
  from_json_string: filter('from_json_string', [], (_ctx, value) => {
    const source = text(value);
    try {
      return parseJsonPython(source);
    } catch (error) {
      throw valueError(`from_json_string: the value is not valid JSON (${source.length} characters)`, error);
    }
  }),
  from_yaml_string: filter('from_yaml_string', [], (_ctx, value) => {
    try {
      return parseYaml(text(value), YAML_OPTIONS as never) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : '';
      throw valueError(`from_yaml_string: the value is not valid YAML: ${reason}`, error);
    }
  }),
  json_escape: filter('json_escape', [], (_ctx, value) => pyJsonDumps(value).replace(/^"+|"+$/g, '')),
  jsonpath_query: filter('jsonpath_query', [['query', REQUIRED]], (_ctx, value, [query]) => jsonpathQuery(value, text(query))),
  to_complex: filter('to_complex', [], (_ctx, value) => pyJsonDumps(value)),
  to_json_string: filter('to_json_string', [['indent', null], ['sort_keys', false], ['separators', [',', ': ']]], (_ctx, value, [indent, sortKeys, separators]) =>
    pyJsonDumps(value, { indent: indent as number | null, sortKeys: Boolean(sortKeys), separators: separators as [string, string] | null }),
  ),
  to_yaml_string: filter('to_yaml_string', [['indent', null], ['allow_unicode', true]], (_ctx, value, [indent]) => yamlSafeDump(value, indent === null ? null : toNumber(indent))),
  regex_match: regexFilter('regex_match', [['pattern', REQUIRED], ['ignorecase', false]], (s, [p, i]) => reMatch(s, text(p), Boolean(i))),
  regex_replace: regexFilter('regex_replace', [['pattern', REQUIRED], ['replacement', REQUIRED], ['ignorecase', false]], (s, [p, r, i]) => reSub(s, text(p), text(r), Boolean(i))),
  regex_search: regexFilter('regex_search', [['pattern', REQUIRED], ['ignorecase', false]], (s, [p, i]) => reSearch(s, text(p), Boolean(i))),
  regex_substring: regexFilter('regex_substring', [['pattern', REQUIRED], ['result_index', 0], ['ignorecase', false]], (s, [p, index, i]) => {
    const found = reFindAll(s, text(p), Boolean(i));
    const n = toNumber(index);
    const at = n < 0 ? found.length + n : n;
    if (at < 0 || at >= found.length) throw new JinjaRuntimeError('list index out of range', 'IndexError');
    return found[at];
  }),
  to_human_time_from_seconds: filter('to_human_time_from_seconds', [], (_ctx, value) => humanTime(value)),
  version_compare: filter('version_compare', [['pattern', REQUIRED]], (_ctx, v, [p]) => compareVersions(v, p)),
  version_more_than: filter('version_more_than', [['pattern', REQUIRED]], (_ctx, v, [p]) => compareVersions(v, p) === 1),
  version_less_than: filter('version_less_than', [['pattern', REQUIRED]], (_ctx, v, [p]) => compareVersions(v, p) === -1),
  version_equal: filter('version_equal', [['pattern', REQUIRED]], (_ctx, v, [p]) => compareVersions(v, p) === 0),
  version_match: filter('version_match', [['pattern', REQUIRED]], (_ctx, v, [p]) => matchVersion(v, p)),
  version_bump_major: filter('version_bump_major', [], (_ctx, v) => bumpVersion(v, 'major')),
  version_bump_minor: filter('version_bump_minor', [], (_ctx, v) => bumpVersion(v, 'minor')),
  version_bump_patch: filter('version_bump_patch', [], (_ctx, v) => bumpVersion(v, 'patch')),
  version_strip_patch: filter('version_strip_patch', [], (_ctx, v) => {
    const parsed = parseVersion(v);
    return `${parsed.major}.${parsed.minor}`;
  }),
  use_none: filter('use_none', [], (_ctx, value) => (value === null ? NONE_MAGIC_VALUE : value)),
  basename: filter('basename', [], (_ctx, value) => posixPath(value).slice(posixPath(value).lastIndexOf('/') + 1)),
  dirname: filter('dirname', [], (_ctx, value) => dirname(posixPath(value))),
};
