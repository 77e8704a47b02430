import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { RequestMeter, createAwsClients } from '../../engine/contract/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * What a webhook dispatch costs in DynamoDB requests must depend on what can match it, not on the
 * size of the registry: rules on other trigger types and policies of other actions are never read.
 */
let dir: string;
let engine: Engine;
const meter = new RequestMeter();

/** A pack of `count` rules on a trigger type nobody fires, each with a policy on its own action. */
async function unrelatedPack(name: string, count: number): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'rules'), { recursive: true });
  await mkdir(join(root, 'actions'), { recursive: true });
  await mkdir(join(root, 'triggers'), { recursive: true });
  await writeFile(join(root, 'pack.yaml'), `ref: ${name}\nname: ${name}\nversion: 1.0.0\nauthor: test\ndescription: unrelated rules\n`);
  // A rule's trigger type must be registered: the pack defines the seven its rules listen to.
  for (let t = 0; t < 7; t++) await writeFile(join(root, 'triggers', `other_trigger_${t}.yaml`), `name: other_trigger_${t}\npack: ${name}\n`);
  await writeFile(join(root, 'actions', 'idle.yaml'), 'name: idle\nrunner_type: noop\nenabled: true\n');
  for (let i = 0; i < count; i++) {
    await writeFile(join(root, 'rules', `r${i}.yaml`), `name: r${i}\npack: ${name}\ntrigger:\n  type: ${name}.other_trigger_${i % 7}\naction:\n  ref: ${name}.idle\n`);
  }
  return root;
}

async function hookPack(): Promise<string> {
  const root = join(dir, 'hook');
  await mkdir(join(root, 'rules'), { recursive: true });
  await mkdir(join(root, 'actions'), { recursive: true });
  await writeFile(join(root, 'pack.yaml'), 'ref: hook\nname: hook\nversion: 1.0.0\nauthor: test\ndescription: one webhook rule\n');
  await writeFile(join(root, 'actions', 'noop.yaml'), 'name: noop\nrunner_type: noop\nenabled: true\n');
  await writeFile(
    join(root, 'rules', 'on_deploy.yaml'),
    'name: on_deploy\npack: hook\ntrigger:\n  type: core.st2.webhook\n  parameters:\n    url: deploy\naction:\n  ref: hook.noop\n',
  );
  return root;
}

/** DynamoDB requests of one webhook dispatch that matches one rule. */
async function dispatchCost(): Promise<{ dynamodb: number; detail: Record<string, number> }> {
  meter.reset();
  const out = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload: { url: 'deploy', headers: {}, body: { n: randomBytes(4).toString('hex') } } });
  expect(out.executions).toHaveLength(1);
  const detail = Object.fromEntries(Object.entries(meter.snapshot()).filter(([k]) => k.startsWith('dynamodb:')));
  return { dynamodb: meter.total('dynamodb'), detail };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-dispatch-cost-'));
  const config = await provisionLocal(`c${randomBytes(4).toString('hex')}`, awsClients());
  const metered = createAwsClients({ meter });
  engine = new Engine(createStores(metered, config));
  await engine.registerPack(await bundlePack(await hookPack()));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('webhook dispatch cost', () => {
  it('reads no more with 1,000 unrelated rules registered than with 10', async () => {
    // Prepare: 10 unrelated rules, then 990 more (packs of at most 90 rules: one registration is one transaction).
    await engine.registerPack(await bundlePack(await unrelatedPack('few', 10)));
    const withTen = await dispatchCost();
    for (let p = 0; p < 11; p++) await engine.registerPack(await bundlePack(await unrelatedPack(`many${p}`, 90)));
    expect((await engine.listRules()).length).toBeGreaterThanOrEqual(1_000);
    // Act
    const withThousand = await dispatchCost();
    // Assess
    console.info(`DynamoDB requests per webhook dispatch: ${withTen.dynamodb} with 10 unrelated rules, ${withThousand.dynamodb} with 1,000`, withThousand.detail);
    expect(withThousand).toEqual(withTen);
    expect(withThousand.detail['dynamodb:Query']).toBeLessThanOrEqual(2);
  }, 300_000);
});
