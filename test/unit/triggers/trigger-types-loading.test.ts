import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PackValidationError, checkRuleTrigger, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/packs/${name}`, import.meta.url));

describe('loading trigger types with a pack', () => {
  it('loads triggers/*.yaml and the trigger_types a sensor declares, with <pack>.<name> refs', async () => {
    // Act
    const pack = await loadPack(fixture('with_triggers'));
    // Assess
    expect(pack.triggerTypes.map((t) => [t.ref, t.file])).toEqual([
      ['hooks.deployed', 'triggers/deployed.yaml'],
      ['hooks.repo_event', 'sensors/watcher.yaml'],
    ]);
    const deployed = pack.triggerTypes[0];
    expect(deployed?.payload_schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(deployed?.parameters_schema).toMatchObject({ properties: { env: { enum: ['staging', 'prod'] } } });
    expect(pack.triggerTypes[1]?.parameters_schema).toEqual({});
    expect(pack.rules.map((r) => r.trigger.type)).toEqual(['hooks.deployed']);
  });

  it('reports a foreign pack:, a duplicate name, a bad schema and a rule on a type the pack lacks, each with file and field', async () => {
    // Act
    const error = await loadPack(fixture('bad_triggers')).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PackValidationError);
    const lines = (error as PackValidationError).issues.map(formatPackIssue);
    expect(lines).toEqual(
      expect.arrayContaining([
        'triggers/a_wrong_pack.yaml: pack: expected badtrig (the pack this file is in), received "other"',
        'triggers/b_duplicate.yaml: name: trigger type badtrig.elsewhere is already defined in triggers/a_wrong_pack.yaml',
        expect.stringMatching(/^triggers\/c_bad_schema\.yaml: payload_schema\.properties\.count\.type: expected one of object, .*received "integr"$/),
        expect.stringMatching(/^triggers\/c_bad_schema\.yaml: payload_schema\.properties\.name\.pattern: not a regular expression RE2 runs/),
        'triggers/c_bad_schema.yaml: payload_schema.properties.owner.$ref: "#/definitions/missing" points at nothing in this schema',
        'triggers/c_bad_schema.yaml: payload_schema.properties.remote.$ref: only local references ("#/definitions/<name>") are read, received "https://example.com/schema.json"',
        expect.stringMatching(/^rules\/on_missing\.yaml: trigger\.type: no trigger type badtrig\.missing in this pack/),
      ]),
    );
    expect(lines).toHaveLength(7);
  });
});

describe("a rule's trigger parameters at load", () => {
  it("checks them against the pack's own type's parameters_schema, naming the field", async () => {
    // Prepare
    const pack = await loadPack(fixture('with_triggers'));
    const rule = (parameters: Record<string, unknown>) => ({ trigger: { type: 'hooks.deployed', parameters } });
    // Act
    const wrong = checkRuleTrigger('rules/x.yaml', rule({ env: 'dev', region: 'eu' }), 'hooks', pack.triggerTypes);
    const right = checkRuleTrigger('rules/y.yaml', rule({ env: 'prod' }), 'hooks', pack.triggerTypes);
    // Assess
    expect(wrong.map(formatPackIssue)).toEqual([
      'rules/x.yaml: trigger.parameters.env: expected one of ["staging","prod"], received a string (the parameters_schema of hooks.deployed)',
      'rules/x.yaml: trigger.parameters.region: is not a property this trigger type allows (the parameters_schema of hooks.deployed)',
    ]);
    expect(right).toEqual([]);
  });
});

describe('a webhook rule signature at load', () => {
  it('names the field of an unknown scheme, a missing secret name and a tolerance over the limit', async () => {
    // Prepare
    const rule = (signature: unknown) => ({ trigger: { type: 'core.st2.webhook', parameters: { url: 'x', signature } } });
    // Act
    const scheme = checkRuleTrigger('rules/a.yaml', rule({ type: 'gitlab', secret: 'hooks/a' }), 'p', []);
    const secret = checkRuleTrigger('rules/b.yaml', rule({ type: 'github' }), 'p', []);
    const tolerance = checkRuleTrigger('rules/c.yaml', rule({ type: 'slack', secret: 'hooks/c', tolerance: 86_400 }), 'p', []);
    const good = checkRuleTrigger('rules/d.yaml', rule({ type: 'stripe', secret: 'hooks/d' }), 'p', []);
    const misspelt = checkRuleTrigger('rules/e.yaml', { trigger: { type: 'core.st2.webhook', parameters: { url: 'x', signatur: { type: 'github', secret: 'hooks/e' } } } }, 'p', []);
    // Assess
    expect(scheme.map(formatPackIssue)).toEqual(['rules/a.yaml: trigger.parameters.signature.type: expected one of github, slack, stripe, attune, received string "gitlab"']);
    expect(secret.map(formatPackIssue)).toEqual(['rules/b.yaml: trigger.parameters.signature.secret: required (expected string)']);
    expect(tolerance[0]?.field).toBe('trigger.parameters.signature.tolerance');
    expect(good).toEqual([]);
    expect(misspelt.map(formatPackIssue)).toEqual(['rules/e.yaml: trigger.parameters.signatur: not a parameter of core.st2.webhook (expected url, signature)']);
  });
});

describe('hostile trigger type files', () => {
  it('refuses an oversized, an over-deep and a self-containing payload_schema, each by file and field', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'attune-hostile-triggers-'));
    await mkdir(join(dir, 'triggers'));
    await writeFile(join(dir, 'pack.yaml'), 'ref: hostile\nname: hostile\ndescription: d\nversion: 0.1.0\nauthor: a\n');
    const fields = Array.from({ length: 3000 }, (_, i) => `    f${i}: {type: string, description: "${'x'.repeat(40)}"}\n`).join('');
    await writeFile(join(dir, 'triggers/big.yaml'), `name: big\npayload_schema:\n  type: object\n  properties:\n${fields}`);
    await writeFile(join(dir, 'triggers/deep.yaml'), `name: deep\npayload_schema: ${'{type: object, properties: {a: '.repeat(40)}{type: string}${'}}'.repeat(40)}\n`);
    await writeFile(join(dir, 'triggers/loop.yaml'), 'name: loop\npayload_schema: &a\n  type: object\n  properties:\n    self: *a\n');
    try {
      // Act
      const error = await loadPack(dir).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(PackValidationError);
      expect((error as PackValidationError).issues.map(formatPackIssue)).toEqual([
        expect.stringMatching(/^triggers\/big\.yaml: payload_schema: schema is \d+ bytes as JSON, over the 65536-byte limit$/),
        'triggers/deep.yaml: payload_schema: schema nests deeper than 32 levels',
        'triggers/loop.yaml: payload_schema: schema contains itself (a YAML alias loop); use "$ref" for a recursive schema',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
