import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PackValidationError, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';
import type { PackIssue } from '../../../engine/packs/index.ts';

const repoPath = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const fixture = (name: string) => repoPath(`test/fixtures/packs/${name}`);

/** Loads a pack that must fail and returns its issues, formatted. */
async function issuesOf(dir: string): Promise<{ error: PackValidationError; lines: string[]; issues: PackIssue[] }> {
  const error = await loadPack(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackValidationError);
  const e = error as PackValidationError;
  return { error: e, lines: e.issues.map(formatPackIssue), issues: e.issues };
}

describe('loadPack on the repository packs', () => {
  it('loads the core pack with its actions and resolved refs', async () => {
    // Act
    const pack = await loadPack(repoPath('packs/core'));
    // Assess
    expect(pack.meta.ref).toBe('core');
    expect(pack.actions.map((a) => a.ref)).toEqual(['core.ask', 'core.echo', 'core.error', 'core.http', 'core.inject_trigger', 'core.local', 'core.local_sudo', 'core.noop', 'core.pause', 'core.uuid']);
    const local = pack.actions.find((a) => a.name === 'local');
    expect(local?.runner_type).toBe('local-shell-cmd');
    expect(local?.parameters['cmd']?.required).toBe(true);
    expect(local?.parameters['timeout']?.default).toBe(60);
    expect(pack.actions.find((a) => a.name === 'http')?.parameters['method']?.default).toBe('GET');
    expect(pack.actions.find((a) => a.name === 'echo')?.entryPoint).toBe('actions/echo.sh');
  });

  it('loads the examples pack: action, webhook rule, EventBridge rule, policy and requirements', async () => {
    // Act
    const pack = await loadPack(repoPath('packs/examples'));
    // Assess
    expect(pack.meta.python).toBe('3.11');
    const greet = pack.actions[0];
    expect(greet).toMatchObject({ ref: 'examples.greet', pack: 'examples', runner_type: 'python-script', entryPoint: 'actions/greet.py' });
    expect(greet?.parameters['count']).toMatchObject({ type: 'integer', default: 1 });
    const webhook = pack.rules.find((r) => r.ref === 'examples.on_webhook');
    expect(webhook?.trigger).toEqual({ type: 'core.st2.webhook', parameters: { url: 'greet' } });
    expect(webhook?.criteria).toEqual({ 'trigger.body.name': { type: 'exists' } });
    expect(webhook?.action).toEqual({ ref: 'examples.greet', parameters: { name: '{{ trigger.body.name }}', count: '{{ trigger.body.count }}' } });
    const deploy = pack.rules.find((r) => r.ref === 'examples.on_deploy');
    expect(deploy?.trigger.parameters).toEqual({ source: ['acme.deploys'], 'detail-type': ['deploy.finished'] });
    expect(deploy?.action.ref).toBe('core.echo');
    expect(pack.policies).toMatchObject([
      { ref: 'examples.greet_concurrency', resource_ref: 'examples.greet', policy_type: 'action.concurrency', parameters: { threshold: 2, action: 'delay' } },
    ]);
    expect(pack.files.requirementsTxt).toContain('standard library');
  });
});

describe('loadPack on valid packs', () => {
  it('keeps dependency files verbatim and tolerates unknown st2 keys', async () => {
    // Act
    const pack = await loadPack(fixture('with_deps'));
    // Assess
    expect(pack.files).toEqual({ requirementsTxt: 'requests==2.32.3\n', packageJson: expect.stringContaining('"with-deps"') });
    expect(pack.meta).toMatchObject({ ref: 'with_deps', name: 'With dependencies', stackstorm_version: '>=3.0' });
    expect(pack.actions[0]).toMatchObject({ ref: 'with_deps.notify', output_schema: { ok: { type: 'boolean' } } });
  });

  it('reads YAML the way st2 (PyYAML, YAML 1.1) does: "no" is false', async () => {
    // Act
    const pack = await loadPack(fixture('with_deps'));
    // Assess
    expect(pack.actions[0]?.enabled).toBe(false);
  });

  it('resolves an entry point in a subdirectory of actions/ and keeps Attune secrets', async () => {
    // Act
    const [notify] = (await loadPack(fixture('with_deps'))).actions;
    // Assess
    expect(notify?.entryPoint).toBe('actions/lib/notify.js');
    expect(notify?.secrets).toEqual({ api_key: 'slack/api-key' });
  });
});

describe('loadPack on broken packs', () => {
  it('names the file and line of a YAML syntax error', async () => {
    // Act
    const { issues } = await issuesOf(fixture('bad_yaml'));
    // Assess
    expect(issues).toEqual([{ file: 'actions/broken.yaml', line: 5, message: expect.stringContaining('Flow sequence') }]);
  });

  it('names the file and field of an invalid action', async () => {
    // Act
    const { lines } = await issuesOf(fixture('unknown_runner'));
    // Assess
    expect(lines).toContain(
      'actions/count.yaml: parameters.count.type: expected one of string, integer, number, boolean, array, object, null, received string "int"',
    );
    // An unknown runner does not refuse the pack: the action loads marked unsupported.
    expect(lines.some((l) => l.startsWith('actions/deploy.yaml'))).toBe(false);
  });

  it('collects every issue of a pack into one error whose message lists them', async () => {
    // Act
    const { error } = await issuesOf(fixture('unknown_runner'));
    // Assess
    expect(error.issues).toHaveLength(1);
    expect(error.pack).toBe('unknown_runner');
    expect(error.message).toContain('1 issue');
    expect(error.message).toContain('actions/count.yaml: parameters.count.type');
  });

  it('requires an existing entry point for script runners', async () => {
    // Act
    const { lines } = await issuesOf(fixture('missing_entry_point'));
    // Assess
    expect(lines.sort()).toEqual([
      'actions/absent.yaml: entry_point: actions/absent.py does not exist',
      'actions/unset.yaml: entry_point: required for runner local-shell-script (a file under actions/)',
    ]);
  });

  it('rejects entry points that leave the pack: "..", absolute paths, symbolic links', async () => {
    // Act
    const { issues } = await issuesOf(fixture('traversal_entry_point'));
    // Assess
    const byFile = Object.fromEntries(issues.map((i) => [i.file, `${i.field}: ${i.message}`]));
    expect(byFile['actions/escape.yaml']).toMatch(/^entry_point: must stay inside the pack: "\.\." is not allowed/);
    expect(byFile['actions/absolute.yaml']).toMatch(/^entry_point: must be a path relative to actions\/, received absolute path/);
    expect(byFile['actions/linked.yaml']).toMatch(/^entry_point: actions\/linked\.sh leads outside the pack/);
  });

  it('validates policy parameters according to the policy type', async () => {
    // Act
    const { lines } = await issuesOf(fixture('bad_policy'));
    // Assess
    expect(lines.sort()).toEqual([
      'policies/misspelt.yaml: parameters.threshold: required (expected number)',
      'policies/misspelt.yaml: parameters: unknown key(s) treshold',
      'policies/no_attributes.yaml: parameters.attributes: expected at least 1 item(s)',
      'policies/retry.yaml: parameters.max_retry_count: expected a number >= 0, received integer -1',
      'policies/retry.yaml: parameters.retry_on: expected one of failure, timeout, received string "crash"',
      'policies/unknown_attribute.yaml: parameters.attributes.1: "region" is not a parameter of bad_policy.work (expected one of host)',
      'policies/unknown_type.yaml: policy_type: expected one of action.concurrency, action.concurrency.attr, action.retry, received string "action.ratelimit"',
      'policies/zero.yaml: parameters.threshold: expected a number >= 1, received integer 0',
    ]);
  });

  it('checks rules: operators, templates, same-pack action refs and event patterns', async () => {
    // Act
    const { lines } = await issuesOf(fixture('bad_rule'));
    // Assess
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringMatching(/^rules\/unknown_operator\.yaml: criteria\.trigger\.body\.status\.type: unknown operator "matches" \(expected one of .*equals/));
    expect(lines).toContainEqual(expect.stringMatching(/^rules\/bad_template\.yaml: action\.parameters\.message: template error: /));
    expect(lines).toContain('rules/bad_pattern.yaml: action.ref: no action bad_rule.missing in this pack');
    expect(lines).toContain('rules/bad_pattern.yaml: trigger.parameters.source: expected a list (write ["acme.deploys"]) or a nested object');
  });

  it('reports every pack.yaml problem, including a name that cannot be a ref', async () => {
    // Act
    const { lines } = await issuesOf(fixture('bad_meta'));
    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^pack\.yaml: version: expected string, received integer 1 \(quote it/),
      expect.stringMatching(/^pack\.yaml: python: expected string, received number 3\.1 \(quote it/),
      expect.stringMatching(/^pack\.yaml: name: "My Pack" is not a valid pack ref/),
    ]);
  });

  it('reports a missing pack.yaml', async () => {
    // Act
    const { issues } = await issuesOf(fixture('does_not_exist'));
    // Assess
    expect(issues).toEqual([{ file: 'pack.yaml', message: 'cannot read: ENOENT' }]);
  });
});
