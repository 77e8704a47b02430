import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPack, validateParameters } from '../../../engine/packs/index.ts';
import { matchCriteria, matchEventPattern, renderParameters } from '../../../engine/rules/index.ts';

const examplesDir = fileURLToPath(new URL('../../../packs/examples', import.meta.url));

describe('the examples pack through the rules engine', () => {
  it('turns a greet webhook into valid examples.greet parameters with an integer count', async () => {
    // Prepare
    const pack = await loadPack(examplesDir);
    const rule = pack.rules.find((r) => r.name === 'on_webhook');
    const greet = pack.actions.find((a) => a.ref === rule?.action.ref);
    const context = { trigger: { headers: {}, body: { name: 'Ada', count: 2 } } };
    // Act
    const match = matchCriteria(rule?.criteria ?? {}, context, { rule: rule?.ref });
    const params = renderParameters(rule?.action.parameters ?? {}, context);
    // Assess
    expect(match.matched).toBe(true);
    expect(validateParameters(greet!, params).value).toEqual({ name: 'Ada', count: 2 });
  });

  it('ignores a greet webhook without a name', async () => {
    // Prepare
    const rule = (await loadPack(examplesDir)).rules.find((r) => r.name === 'on_webhook');
    // Act
    const match = matchCriteria(rule?.criteria ?? {}, { trigger: { headers: {}, body: { count: 2 } } });
    // Assess
    expect(match).toEqual({ matched: false, failed: { path: 'trigger.body.name', type: 'exists', pattern: undefined, value: undefined } });
  });

  it('matches a deploy.finished event and renders the echo message', async () => {
    // Prepare
    const rule = (await loadPack(examplesDir)).rules.find((r) => r.name === 'on_deploy');
    const event = { source: 'acme.deploys', 'detail-type': 'deploy.finished', detail: { service: 'billing' } };
    // Act
    const matched = matchEventPattern(rule?.trigger.parameters, event);
    const params = renderParameters(rule?.action.parameters ?? {}, { trigger: event });
    // Assess
    expect(matched).toBe(true);
    expect(params).toEqual({ message: 'deployed billing' });
  });
});
