import { describe, expect, it } from 'vitest';
import { ParameterValidationError } from '../../../engine/packs/index.ts';
import { refuseSecretsInClear } from '../../../engine/service/pack-config.ts';

const action = {
  ref: 'p.a',
  parameters: { token: { type: 'string', secret: true }, header: { type: 'string' }, body: { type: 'object' }, short: { type: 'string' } },
} as unknown as Parameters<typeof refuseSecretsInClear>[0];

describe('secret values rendered into parameters', () => {
  it('lets a secret parameter hold a secret value, since it is sealed', () => {
    expect(() => refuseSecretsInClear(action, { token: 'tok-123456' }, ['tok-123456'])).not.toThrow();
  });

  it('refuses a secret value inside the text of a plain parameter, naming the parameter and not the value', () => {
    // Act
    const error = (() => {
      try {
        refuseSecretsInClear(action, { header: 'Bearer tok-123456' }, ['tok-123456']);
      } catch (e) {
        return e as ParameterValidationError;
      }
    })();
    // Assess
    expect(error).toBeInstanceOf(ParameterValidationError);
    expect(error?.field).toBe('parameters.header');
    expect(error?.message).not.toContain('tok-123456');
  });

  it('finds a secret value nested in an object parameter and in its base64 form', () => {
    const b64 = Buffer.from('x:tok-123456').toString('base64');
    expect(() => refuseSecretsInClear(action, { body: { auth: { basic: b64 } } }, ['tok-123456'])).toThrow(/body: renders a secret value/);
  });

  it('lets plain parameters through when no secret was read', () => {
    expect(() => refuseSecretsInClear(action, { header: 'Bearer tok-123456' }, [])).not.toThrow();
  });
});
