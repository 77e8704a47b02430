import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackValidationError, loadPack } from '../../../engine/packs/index.ts';

let root: string;
let pack: string;

async function writePack(files: Record<string, string>): Promise<void> {
  await writeFile(join(pack, 'pack.yaml'), 'ref: ticker\nname: ticker\ndescription: d\nversion: 0.1.0\nauthor: a\n');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(pack, path, '..'), { recursive: true });
    await writeFile(join(pack, path), text);
  }
}

async function issuesOf(): Promise<string[]> {
  try {
    await loadPack(pack);
  } catch (err) {
    if (err instanceof PackValidationError) return err.issues.map((i) => `${i.file}${i.field ? ` ${i.field}` : ''}: ${i.message}`);
    throw err;
  }
  return [];
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'attune-sensor-load-'));
  pack = join(root, 'ticker');
  await mkdir(pack);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sensors/*.yaml', () => {
  it("registers a sensor as st2 does: ref from class_name, entry point relative to sensors/, its trigger types' refs", async () => {
    // Prepare
    await writePack({
      'sensors/tick.yaml': 'class_name: TickSensor\nentry_point: tick.py\npoll_interval: 30\ntrigger_types:\n  - name: tick\n    payload_schema: {type: object}\n',
      'sensors/tick.py': 'class TickSensor: pass\n',
      'sensors/off.yaml': 'class_name: Quiet\nname: quiet\nentry_point: lib/off.py\nenabled: false\n',
      'sensors/lib/off.py': '',
    });

    // Act
    const loaded = await loadPack(pack);

    // Assess
    expect(loaded.sensors).toEqual([
      expect.objectContaining({ ref: 'ticker.quiet', class_name: 'Quiet', entryPoint: 'sensors/lib/off.py', enabled: false, triggerTypes: [] }),
      expect.objectContaining({ ref: 'ticker.TickSensor', entryPoint: 'sensors/tick.py', enabled: true, poll_interval: 30, triggerTypes: ['ticker.tick'], file: 'sensors/tick.yaml' }),
    ]);
    expect(loaded.triggerTypes.map((t) => t.ref)).toEqual(['ticker.tick']);
  });

  it('refuses an entry point outside the pack, a missing one, a non-Python one and a link out, naming file and field', async () => {
    // Prepare
    await writePack({
      'sensors/a.yaml': 'class_name: A\nentry_point: ../../etc/passwd.py\n',
      'sensors/b.yaml': 'class_name: B\nentry_point: missing.py\n',
      'sensors/c.yaml': 'class_name: C\nentry_point: c.sh\n',
      'sensors/d.yaml': 'class_name: D\nentry_point: /abs/d.py\n',
      'sensors/e.yaml': 'class_name: E\nentry_point: e.py\n',
    });
    await symlink('/etc/hostname', join(pack, 'sensors', 'e.py'));

    // Act
    const issues = await issuesOf();

    // Assess
    expect(issues).toEqual([
      'sensors/a.yaml entry_point: must stay inside the pack: ".." is not allowed, received "../../etc/passwd.py"',
      'sensors/b.yaml entry_point: sensors/missing.py does not exist',
      'sensors/c.yaml entry_point: expected a Python module (.py), received "c.sh"',
      'sensors/d.yaml entry_point: must be a path relative to sensors/, received absolute path "/abs/d.py"',
      'sensors/e.yaml entry_point: sensors/e.py leads outside the pack (symbolic link)',
    ]);
  });

  it('refuses a class_name that is not a Python name, a poll_interval of 0 and a sensor defined twice', async () => {
    // Prepare
    await writePack({
      'sensors/a.yaml': 'class_name: "os.system(1)"\nentry_point: a.py\n',
      'sensors/b.yaml': 'class_name: B\nentry_point: b.py\npoll_interval: 0\n',
      'sensors/c.yaml': 'class_name: C\nentry_point: b.py\n',
      'sensors/d.yaml': 'class_name: C\nentry_point: b.py\n',
      'sensors/b.py': '',
    });

    // Act
    const issues = await issuesOf();

    // Assess
    expect(issues).toEqual([
      expect.stringMatching(/^sensors\/a\.yaml class_name: expected a Python class name/),
      expect.stringMatching(/^sensors\/b\.yaml poll_interval: expected a number > 0/),
      'sensors/d.yaml name: sensor ticker.C is already defined in sensors/c.yaml',
    ]);
  });
});
