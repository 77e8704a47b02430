import { describe, expect, it } from 'vitest';
import { InvalidSecretName, isSecretArn, secretIdFor, secretNameProblem, validateSecretPrefix } from '../../../engine/secrets/index.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/db-AbCdEf';

describe('secret names', () => {
  it.each(['db/password', 'a', 'x_y+z=w.v@u-t', 'A'.repeat(200)])('accepts %s', (name) => {
    expect(secretNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', '1-200 characters'],
    ['A'.repeat(201), '1-200 characters'],
    ['has space', '1-200 characters'],
    ['semi;colon', '1-200 characters'],
    ['up/../out', '".."'],
    ['/leading', '"/"'],
    ['trailing/', '"/"'],
    ['double//slash', '"/"'],
  ])('refuses %j, saying what was expected', (name, expected) => {
    expect(secretNameProblem(name)).toContain(expected);
  });

  it('puts a name under the prefix and uses a full ARN as is', () => {
    expect(secretIdFor('db/password', 'attune/dev/')).toBe('attune/dev/db/password');
    expect(secretIdFor(ARN, 'attune/dev/')).toBe(ARN);
    expect(isSecretArn('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x')).toBe(true);
  });

  it('refuses a malformed ARN and a bad name with the key in the error', () => {
    // Act
    const bad = (() => {
      try {
        secretIdFor('../etc', 'attune/dev/', 'password');
      } catch (err) {
        return err;
      }
    })();
    // Assess
    expect(bad).toBeInstanceOf(InvalidSecretName);
    expect((bad as InvalidSecretName).message).toBe('invalid secret name "../etc" for key "password": must not contain ".."');
    expect(() => secretIdFor('arn:aws:s3:::bucket', 'attune/dev/')).toThrow(/looks like an ARN/);
  });

  it('refuses an ARN into the engine\'s own secrets under its prefix, and takes any other ARN as is', () => {
    const sealed = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:attune/dev/_params/0b7c9e4e-AbCdEf';
    expect(() => secretIdFor(sealed, 'attune/dev/', 'token')).toThrow(/for key "token": points at the engine's own secrets \(attune\/dev\/_…\)/);
    expect(secretIdFor('arn:aws:secretsmanager:us-east-1:123456789012:secret:attune/dev/db/pw-AbCdEf', 'attune/dev/')).toBe(
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:attune/dev/db/pw-AbCdEf',
    );
    expect(secretIdFor(ARN, 'attune/dev/')).toBe(ARN);
  });

  it('accepts a prefix ending with "/" and refuses others', () => {
    expect(() => validateSecretPrefix('attune/dev/')).not.toThrow();
    expect(() => validateSecretPrefix('attune/dev')).toThrow(InvalidSecretName);
    expect(() => validateSecretPrefix('/attune/')).toThrow(InvalidSecretName);
  });
});
