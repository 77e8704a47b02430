import type { FilterContext } from '../jinja/runtime.ts';
import { ST2_FILTERS } from './filters.ts';

/**
 * st2's expression functions, as st2's Orquesta runner registers them for workflows (YAQL and
 * Jinja alike): the st2 filters called as functions, under their names and the `json_*`/`yaml_*`
 * aliases. `st2kv` is not here (it reads the datastore), nor `task` (the conductor's).
 */
export const ST2_WORKFLOW_FUNCTIONS: Readonly<Record<string, string>> = {
  basename: 'basename',
  dirname: 'dirname',
  from_json_string: 'from_json_string',
  from_yaml_string: 'from_yaml_string',
  json_dump: 'to_json_string',
  json_parse: 'from_json_string',
  json_escape: 'json_escape',
  jsonpath_query: 'jsonpath_query',
  regex_match: 'regex_match',
  regex_replace: 'regex_replace',
  regex_search: 'regex_search',
  regex_substring: 'regex_substring',
  to_human_time_from_seconds: 'to_human_time_from_seconds',
  to_json_string: 'to_json_string',
  to_yaml_string: 'to_yaml_string',
  use_none: 'use_none',
  version_compare: 'version_compare',
  version_more_than: 'version_more_than',
  version_less_than: 'version_less_than',
  version_equal: 'version_equal',
  version_match: 'version_match',
  version_bump_major: 'version_bump_major',
  version_bump_minor: 'version_bump_minor',
  version_bump_patch: 'version_bump_patch',
  version_strip_patch: 'version_strip_patch',
  yaml_dump: 'to_yaml_string',
  yaml_parse: 'from_yaml_string',
};

const unavailable = (what: string) => () => {
  throw new Error(`${what} is not available to a workflow function`);
};

// These filters read nothing of a template's context: called as functions, they get none.
const NO_CONTEXT: FilterContext = {
  mode: 'strict',
  getattr: unavailable('getattr'),
  getitem: unavailable('getitem'),
  callFilter: unavailable('a filter'),
  callTest: unavailable('a test'),
  hasFilter: () => false,
  hasTest: () => false,
  iterate: unavailable('iteration'),
  step: () => undefined,
  hooks: {},
};

/**
 * Calls st2 workflow function `name` (a key of {@link ST2_WORKFLOW_FUNCTIONS}): its first argument
 * is the value the filter would take, the rest its arguments.
 * @example callSt2Function('regex_match', ['v1.2', '^v'], {}) === true
 */
export function callSt2Function(name: string, args: readonly unknown[], kwargs: Record<string, unknown> = {}): unknown {
  const filter = ST2_FILTERS[ST2_WORKFLOW_FUNCTIONS[name] ?? ''];
  if (filter === undefined || !Object.hasOwn(ST2_WORKFLOW_FUNCTIONS, name)) throw new Error(`unknown function ${name}`);
  if (args.length === 0) throw new Error(`${name}() takes at least 1 argument (0 given)`);
  return filter(NO_CONTEXT, args[0], args.slice(1), kwargs);
}
