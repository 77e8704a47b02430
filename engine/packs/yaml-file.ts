import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { PackIssue } from './errors.ts';

/** A YAML file read and parsed, or the issues that prevented it. */
export type YamlRead = { ok: true; data: unknown } | { ok: false; issues: PackIssue[] };

// st2 reads packs with PyYAML, a YAML 1.1 parser: `yes`/`on` are booleans, `0755` is octal.
// Aliases are capped so a small file cannot expand into a huge document.
const PARSE_OPTIONS = { version: '1.1', uniqueKeys: true, prettyErrors: true } as const;
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

/** Reads and parses a YAML file; `file` is the name used in issues (relative to the pack). */
export async function readYaml(absolutePath: string, file: string): Promise<YamlRead> {
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    return { ok: false, issues: [{ file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  return parseYaml(text, file);
}
