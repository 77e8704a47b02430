import { describe, expect, it } from 'vitest';
import { ParameterSchema, RuleSchema, SECRET_MASK, validateParameters } from '../../../engine/packs/index.ts';
import type { ParameterizedAction, Rule } from '../../../engine/packs/index.ts';
import { failedRuleExecution, type RuleMatch } from '../../../engine/service/dispatch.ts';

const SECRET = 'hunter2-correct-horse';
const NOW = new Date('2024-05-01T12:00:00.000Z');

function action(parameters: Record<string, unknown>): ParameterizedAction {
  return { ref: 'ops.deploy', parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, ParameterSchema.parse(v)])) };
}

const rule: Rule = {
  ...RuleSchema.parse({ name: 'on_push', trigger: { type: 'core.st2.webhook', parameters: { url: 'push' } }, action: { ref: 'ops.deploy' } }),
  ref: 'ops.on_push',
  pack: 'ops',
  file: 'rules/on_push.yaml',
};

const deploy = action({ env: { type: 'string' }, token: { type: 'string', secret: true }, creds: { type: 'object', secret: true }, retries: { type: 'integer' } });

function match(parameters?: Record<string, unknown>, error?: string): RuleMatch {
  return { rule, executionId: 'e-1', ...(parameters ? { parameters } : {}), ...(error ? { error } : {}) };
}

function failure(m: RuleMatch, act: ParameterizedAction | undefined): unknown {
  try {
    if (m.error) throw new Error(m.error);
    validateParameters(act!, m.parameters);
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('failedRuleExecution', () => {
  it('stores the secret parameters of a rule whose parameters are refused as the mask', () => {
    // Prepare
    const m = match({ env: 'prod', token: SECRET, creds: { password: SECRET }, retries: 'three' });
    // Act
    const record = failedRuleExecution(m, 'ti-1', deploy, failure(m, deploy), NOW);
    // Assess
    expect(record).toMatchObject({
      id: 'e-1',
      action: 'ops.deploy',
      status: 'failed',
      rule: 'ops.on_push',
      triggerInstance: 'ti-1',
      parameters: { env: 'prod', token: SECRET_MASK, creds: SECRET_MASK, retries: 'three' },
      policyKey: 'ops.deploy',
      createdAt: NOW.toISOString(),
      endedAt: NOW.toISOString(),
      error: 'invalid parameters for action ops.deploy: retries: expected integer, received string "three"',
    });
    expect(JSON.stringify(record)).not.toContain('hunter2');
  });

  it('masks secret values that an error message quotes', () => {
    // Prepare
    const m = match({ token: SECRET, creds: { user: 'ada', password: 'pa55word-xyz' } });
    // Act
    const record = failedRuleExecution(m, 'ti-1', deploy, new Error(`could not use ${SECRET} or {"user":"ada","password":"pa55word-xyz"}`), NOW);
    // Assess
    expect(record.error).toBe(`could not use ${SECRET_MASK} or ${SECRET_MASK}`);
  });

  it('masks every value when the action is unknown, keeping the parameter names', () => {
    // Prepare
    const m = match({ env: 'prod', token: SECRET });
    // Act
    const record = failedRuleExecution(m, 'ti-1', undefined, new Error('unknown action ops.deploy'), NOW);
    // Assess
    expect(record.parameters).toEqual({ env: SECRET_MASK, token: SECRET_MASK });
    expect(record.error).toBe('unknown action ops.deploy');
  });

  it('stores no parameters and the rendering error when the templates could not render', () => {
    // Prepare
    const m = match(undefined, 'rule ops.on_push: parameter "token": template error: unknown filter');
    // Act
    const record = failedRuleExecution(m, 'ti-1', deploy, failure(m, deploy), NOW);
    // Assess
    expect(record.parameters).toEqual({});
    expect(record.error).toBe('rule ops.on_push: parameter "token": template error: unknown filter');
  });
});
