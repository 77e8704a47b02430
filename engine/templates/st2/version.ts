/** Python semver 3's Version.parse / compare / match / bump, as st2's version_* filters call them. */
import { valueError } from '../jinja/index.ts';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A parsed semantic version. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string | undefined;
  build: string | undefined;
}

/** semver.Version.parse: strict SemVer 2.0 (no `v` prefix, all three parts). */
export function parseVersion(value: unknown): Version {
  if (typeof value !== 'string') throw new TypeError(`not expecting type '${typeof value}'`);
  const m = SEMVER.exec(value);
  if (!m) throw valueError(`${value} is not valid SemVer string`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4], build: m[5] };
}

/** str(Version). */
export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `+${v.build}` : ''}`;
}

const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

// semver's _nat_cmp, including its closing comparison of the whole strings' lengths.
function natCompare(a: string, b: string): number {
  const parts = (s: string) => s.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
    const x = pa[i] as number | string;
    const y = pb[i] as number | string;
    const result = typeof x === 'number' && typeof y === 'number' ? cmp(x, y) : typeof x === 'number' ? -1 : typeof y === 'number' ? 1 : cmp(x, y);
    if (result !== 0) return result;
  }
  return cmp(a.length, b.length);
}

/** Version.compare: -1, 0 or 1; build metadata is ignored, a pre-release sorts first. */
export function compareVersions(value: unknown, other: unknown): number {
  const a = parseVersion(value);
  const b = parseVersion(other);
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  const pre = natCompare(a.prerelease ?? '', b.prerelease ?? '');
  if (pre === 0) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  return pre;
}

const POSSIBILITIES: Record<string, number[]> = { '>': [1], '<': [-1], '==': [0], '!=': [-1, 1], '>=': [0, 1], '<=': [-1, 0] };

/** Version.match('>=1.0.0'). */
export function matchVersion(value: unknown, expression: unknown): boolean {
  const expr = String(expression);
  let prefix = expr.slice(0, 2);
  let version: string;
  if (['>=', '<=', '==', '!='].includes(prefix)) version = expr.slice(2);
  else if (prefix[0] === '>' || prefix[0] === '<') {
    prefix = prefix[0];
    version = expr.slice(1);
  } else if (/^[0-9]/.test(expr)) {
    prefix = '==';
    version = expr;
  } else {
    throw valueError(
      `match_expr parameter should be in format <op><ver>, where <op> is one of ['<', '>', '==', '<=', '>=', '!=']. You provided: '${expr}'`,
    );
  }
  return (POSSIBILITIES[prefix] ?? []).includes(compareVersions(value, version));
}

/** bump_major / bump_minor / bump_patch: the pre-release and build are dropped. */
export function bumpVersion(value: unknown, part: 'major' | 'minor' | 'patch'): string {
  const v = parseVersion(value);
  if (part === 'major') return `${v.major + 1}.0.0`;
  if (part === 'minor') return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}
