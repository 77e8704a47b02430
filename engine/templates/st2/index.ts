export { NONE_MAGIC_VALUE, ST2_FILTERS } from './filters.ts';
export { jsonpathQuery } from './jsonpath.ts';
export { MAX_PATTERN_CHARS, reFindAll, reMatch, reSearch, reSub } from './regex.ts';
export { bumpVersion, compareVersions, matchVersion, parseVersion } from './version.ts';
export { yamlSafeDump } from './yaml-dump.ts';
export { ST2_WORKFLOW_FUNCTIONS, callSt2Function } from './functions.ts';
