import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlePack } from '../../../cli/bundle.ts';
import { PackValidationError } from '../../../engine/packs/index.ts';
import { Engine } from '../../../engine/service/index.ts';
import type { Stores } from '../../../engine/stores/index.ts';
import { fakePorts } from '../lifecycle/fake-stores.ts';

// An invalid pack is refused before the registry is touched: fakes of the ports suffice.
const engine = (): Engine => new Engine({ ...fakePorts().ports, registry: {} } as unknown as Stores);

describe('an invalid uploaded pack is named by its pack.yaml, never by a temporary directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'attune-bad-pack-'));
    await mkdir(join(dir, 'actions'));
    await writeFile(join(dir, 'actions', 'a.yaml'), 'name: a\nrunner_type: local-shell-cmd\npack: other\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says the pack.yaml gives no valid ref, and names no server path or temporary name', async () => {
    // Prepare: a pack.yaml without a ref or name
    await writeFile(join(dir, 'pack.yaml'), 'version: 1.0.0\n');
    const bundle = await bundlePack(dir);
    // Act
    const refused = await engine().registerPack(bundle).catch((err: unknown) => err);
    // Assess
    expect(refused).toBeInstanceOf(PackValidationError);
    const { publicMessage, message } = refused as PackValidationError;
    for (const text of [publicMessage, message.split('\n').slice(1).join('\n')]) {
      expect(text).not.toMatch(/attune-pack-|attune-bad-pack-|\/tmp\//);
    }
    expect(publicMessage).toMatch(/^pack \(pack\.yaml gives no valid ref\) is invalid/);
    expect(publicMessage).toContain('actions/a.yaml: pack: expected (pack.yaml gives no valid ref)');
  });

  it("names the pack by pack.yaml's ref when it has one", async () => {
    // Prepare
    await writeFile(join(dir, 'pack.yaml'), 'ref: mine\nname: mine\nversion: 1.0.0\n');
    // Act
    const refused = await engine().registerPack(await bundlePack(dir)).catch((err: unknown) => err);
    // Assess
    expect((refused as PackValidationError).publicMessage).toMatch(/^pack mine is invalid/);
  });
});
