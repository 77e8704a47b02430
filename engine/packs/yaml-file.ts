import { parseDocument } from 'yaml';
import type { Tags } from 'yaml';
import type { PackIssue } from './errors.ts';
import { readPackText } from './pack-files.ts';

/** A YAML file read and parsed, or the issues that prevented it. */
export type YamlRead = { ok: true; data: unknown } | { ok: false; issues: PackIssue[] };

/**
 * st2 reads packs with PyYAML's safe_load, whose YAML 1.1 resolver is narrower than the spec's:
 * only yes/no/true/false/on/off (three casings) are booleans, not y/n; a float needs a dot and a
 * signed exponent (`1e3` and `1.0e3` are strings, `1.5e+3` is 1500); `09` is a string; dates stay
 * the text written (JSON has no date).
 */
const PYYAML_SCALARS: Record<string, RegExp> = {
  'bool:true': /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  'bool:false': /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  'int:': /^[-+]?(?:0|[1-9][0-9_]*)$/,
  'float:EXP': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+|\.[0-9_]+[eE][-+][0-9]+)$/,
  'float:': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/,
};

function pyyamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const tag of tags) {
    if (typeof tag !== 'object' || !('tag' in tag)) {
      out.push(tag);
      continue;
    }
    if (tag.tag === 'tag:yaml.org,2002:timestamp') continue;
    const kind = tag.tag.replace('tag:yaml.org,2002:', '');
    const key = kind === 'bool' ? `bool:${String(tag.test)?.includes('rue') ? 'true' : 'false'}` : `${kind}:${'format' in tag ? (tag.format ?? '') : ''}`;
    const test = String(tag.test).includes('inf') ? undefined : PYYAML_SCALARS[key];
    // The yaml package's tag objects are shared: changed copies, never the originals.
    out.push(test && 'test' in tag && tag.test ? { ...tag, test } : tag);
  }
  return out;
}

// Aliases are capped so a small file cannot expand into a huge document.
const PARSE_OPTIONS = { version: '1.1', uniqueKeys: true, prettyErrors: true, customTags: pyyamlTags } as const;
const MAX_ALIAS_COUNT = 100;

/** Parses YAML text; errors name `file` and the line. */
export function parseYaml(text: string, file: string): YamlRead {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) {
    const issues = new Map<string, PackIssue>();
    for (const e of doc.errors) {
      // prettyErrors appends " at line N, column M:" and a code excerpt; keep the first clause.
      const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      const line = e.linePos?.[0].line;
      // One slip often yields the same error twice; report it once.
      issues.set(`${line}:${message}`, line === undefined ? { file, message } : { file, line, message });
    }
    return { ok: false, issues: [...issues.values()] };
  }
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    return { ok: false, issues: [{ file, message: (error as Error).message }] };
  }
}

/**
 * Reads and parses the YAML file `file` (relative to the pack at `root`, and the name used in
 * issues), following no link.
 */
export async function readYaml(root: string, file: string): Promise<YamlRead> {
  const read = await readPackText(root, file);
  if (!read.ok) return { ok: false, issues: [{ file, message: read.missing ? 'cannot read: ENOENT' : read.reason }] };
  return parseYaml(read.text, file);
}
