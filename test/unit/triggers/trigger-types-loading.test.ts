import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PackValidationError, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';

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
    expect(deployed?.parameters_schema).toEqual({});
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

describe('a webhook rule signature at load', () => {
  it('names the field of an unknown scheme, a missing secret name and a tolerance over the limit', async () => {
    // Prepare
    const { checkRuleTrigger } = await import('../../../engine/packs/index.ts');
    const rule = (signature: unknown) => ({ trigger: { type: 'core.st2.webhook', parameters: { url: 'x', signature } } });
    // Act
    const scheme = checkRuleTrigger('rules/a.yaml', rule({ type: 'gitlab', secret: 'hooks/a' }), 'p', []);
    const secret = checkRuleTrigger('rules/b.yaml', rule({ type: 'github' }), 'p', []);
    const tolerance = checkRuleTrigger('rules/c.yaml', rule({ type: 'slack', secret: 'hooks/c', tolerance: 86_400 }), 'p', []);
    const good = checkRuleTrigger('rules/d.yaml', rule({ type: 'stripe', secret: 'hooks/d' }), 'p', []);
    // Assess
    expect(scheme.map(formatPackIssue)).toEqual(['rules/a.yaml: trigger.parameters.signature.type: expected one of github, slack, stripe, attune, received string "gitlab"']);
    expect(secret.map(formatPackIssue)).toEqual(['rules/b.yaml: trigger.parameters.signature.secret: required (expected string)']);
    expect(tolerance[0]?.field).toBe('trigger.parameters.signature.tolerance');
    expect(good).toEqual([]);
  });
});
