import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from './errors.ts';

/**
 * The packages StackStorm's python runner makes importable to every action without the pack
 * declaring them: st2 runs actions with its own virtualenv's site-packages on PYTHONPATH, after
 * the pack's venv. Exchange packs rely on a few of them (`six` above all, `yaml`, `requests`,
 * `dateutil` through `st2common.util.isotime`, `pytz`, `eventlet`). This is that set, pinned to st2's own pins,
 * with their dependencies, at versions that install on every Python from 3.8 on.
 * Changing a line builds a new st2 base and, since their keys include its key, new pack venvs.
 */
export const ST2_BASE_REQUIREMENTS = [
  'certifi==2026.10.19.post1',
  'charset-normalizer==3.5.3',
  // eventlet (`eventlet.sleep` in actions written for st2's green threads) needs Python 3.9.
  'dnspython==2.7.0; python_version >= "3.9"',
  'eventlet==0.40.3; python_version >= "3.9"',
  'greenlet==3.2.5; python_version >= "3.9"',
  'idna==3.15',
  'python-dateutil==2.9.0.post0',
  'pytz==2025.2',
  'PyYAML==6.0.3',
  'requests==2.32.4',
  'six==1.17.0',
  'urllib3==2.2.3',
]
  .map((line) => `${line}\n`)
  .join('');

/**
 * Written into the site-packages of every pack venv: one line, the st2 base's site-packages. Python
 * appends it to `sys.path` after the venv's own site-packages, so the pack's pins win, and the
 * Python wrapper then puts `<pack>/actions/lib` between the two (StackStorm's order).
 */
export const ST2_BASE_PTH_FILE = 'attune-st2-base.pth';

/** The `site-packages` directory of a venv (`lib/python3.11/site-packages`, whatever the version). */
export async function sitePackagesOf(venvDir: string): Promise<string> {
  const lib = join(venvDir, 'lib');
  const entries = await readdir(lib).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    const candidate = join(lib, entry, 'site-packages');
    if (await stat(candidate).then((s) => s.isDirectory(), () => false)) return candidate;
  }
  throw new EnvironmentError(`expected a venv with lib/<python>/site-packages at ${venvDir}, found none`);
}

/** Makes the venv at `venvDir` import the st2 base at `baseDir` after its own packages. */
export async function linkSt2Base(venvDir: string, baseDir: string): Promise<void> {
  const [own, base] = await Promise.all([sitePackagesOf(venvDir), sitePackagesOf(baseDir)]);
  await writeFile(join(own, ST2_BASE_PTH_FILE), `${base}\n`);
}

/**
 * Takes the write bits off every file under `dir`: the st2 base is shared by every pack on the
 * worker, and an action that opens one of its modules for writing fails instead of changing what
 * other packs import. Directories keep theirs, so the cache can still be cleaned up.
 */
export async function makeFilesReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await makeFilesReadOnly(path);
    } else if (entry.isFile()) {
      const { mode } = await stat(path);
      await chmod(path, mode & ~0o222);
    }
  }
}
