import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  PackConfigInvalid,
  PackValidationError,
  SECRET_MASK,
  applyConfigDefaults,
  formatPackIssue,
  loadPack,
  sealConfig,
  unsealConfig,
  validatePackConfig,
} from '../../../engine/packs/index.ts';
import type { ConfigSchema } from '../../../engine/packs/index.ts';

const repoPath = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

/** Exchange-style schema: a default, a required secret, a nested object with a nested secret. */
const SCHEMA: ConfigSchema = {
  api_url: { type: 'string', default: 'https://api.example.test/v2', required: true },
  api_token: { type: 'string', secret: true, required: true },
  timeout: { type: 'integer', default: 30 },
  region: { type: 'string', enum: ['eu', 'us'] },
  proxy: {
    type: 'object',
    properties: { host: { type: 'string', default: 'proxy.internal' }, port: { type: 'integer', default: 3128, required: true }, password: { type: 'string', secret: true } },
  },
  hosts: { type: 'array', items: { type: 'object', properties: { name: { type: 'string', required: true }, port: { type: 'integer', default: 22 } } } },
  optional_note: { type: 'string', default: null },
};

/** The issues a config is refused with, as `field: message` lines. */
function refusal(config: unknown, schema: ConfigSchema = SCHEMA): { error: PackConfigInvalid; lines: string[] } {
  let caught: unknown;
  try {
    validatePackConfig('demo', schema, config);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PackConfigInvalid);
  const error = caught as PackConfigInvalid;
  return { error, lines: error.issues.map((i) => `${i.field}: ${i.message}`) };
}

describe('config.schema.yaml at registration', () => {
  it('keeps the schema of a pack on the loaded pack', async () => {
    // Act
    const pack = await loadPack(repoPath('test/fixtures/config-pack'));
    // Assess
    expect(Object.keys(pack.configSchema ?? {})).toEqual(['api_url', 'api_token', 'api_pin', 'timeout', 'verify_ssl', 'proxy']);
    expect(pack.configSchema?.['api_token']).toMatchObject({ type: 'string', secret: true, required: true });
    expect(pack.configSchema?.['proxy']?.properties?.['port']).toMatchObject({ type: 'integer', default: 3128 });
  });

  it('reports each fault of a bad schema by file and field', async () => {
    // Act
    const error = await loadPack(repoPath('test/fixtures/packs/bad_config_schema')).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PackValidationError);
    const lines = (error as PackValidationError).issues.map(formatPackIssue);
    expect(lines).toEqual(
      expect.arrayContaining([
        'config.schema.yaml: api_url.type: expected one of string, integer, number, boolean, array, object, null (or a list of them), received string "url"',
        'config.schema.yaml: port.default: expected integer, received string "8080"',
        'config.schema.yaml: bad-key: a config key is letters, digits and underscores',
        'config.schema.yaml: nested.properties.retries.required: expected boolean, received string "yes please"',
      ]),
    );
  });

  it('loads a pack without config.schema.yaml with no schema', async () => {
    // Act
    const pack = await loadPack(repoPath('packs/core'));
    // Assess
    expect(pack.configSchema).toBeUndefined();
  });
});

describe('validatePackConfig', () => {
  it('accepts a config whose required keys are met by defaults, keeping unknown keys as st2 does', () => {
    // Prepare
    const config = { api_token: 's3cr3t-token', extra_key: { anything: [1, 2] } };
    // Act
    const value = validatePackConfig('demo', SCHEMA, config);
    // Assess
    expect(value).toEqual(config);
  });

  it('names the field and the expected type of a wrong value', () => {
    // Act
    const { error, lines } = refusal({ api_url: 3, api_token: 't' });
    // Assess
    expect(lines).toEqual(['api_url: expected a string, received integer 3']);
    expect(error.message).toBe('config for pack demo is invalid: config.api_url: expected a string, received integer 3');
    expect(error.field).toBe('config.api_url');
    expect(error.status).toBe(400);
  });

  it('reports a missing required key that has no default, and every other fault with it', () => {
    // Act
    const { lines } = refusal({ timeout: '30', region: 'mars' });
    // Assess
    expect(lines).toEqual(['api_token: is required', 'timeout: expected an integer, received string "30"', 'region: expected one of "eu", "us", received string "mars"']);
  });

  it('checks nested objects and the objects of arrays by their dotted path', () => {
    // Act
    const { lines } = refusal({ api_token: 't', proxy: { port: 'high' }, hosts: [{ name: 'a' }, { port: 2 }] });
    // Assess
    expect(lines).toEqual(['proxy.port: expected an integer, received string "high"', 'hosts.1.name: is required']);
  });

  it('fills a nested default before checking required, as st2 validates', () => {
    // Act + Assess: proxy.port is required and has a default
    expect(() => validatePackConfig('demo', SCHEMA, { api_token: 't', proxy: {} })).not.toThrow();
  });

  it('never quotes a secret value in an error', () => {
    // Act
    const { lines, error } = refusal({ api_token: 12345678, proxy: { password: ['hunter2-secret'] } });
    // Assess
    expect(lines).toEqual(['api_token: expected a string, received integer', 'proxy.password: expected a string, received array']);
    expect(error.message).not.toContain('12345678');
    expect(error.message).not.toContain('hunter2');
  });

  it('lets an st2kv reference stand for any type, to be rendered when the action runs', () => {
    // Act + Assess
    expect(() => validatePackConfig('demo', SCHEMA, { api_token: '{{ st2kv.system.token | decrypt_kv }}', timeout: '{{ st2kv.system.timeout }}' })).not.toThrow();
  });

  it('takes null for a key whose default is null', () => {
    // Act + Assess
    expect(() => validatePackConfig('demo', SCHEMA, { api_token: 't', optional_note: null })).not.toThrow();
  });

  it('refuses a config that is not a mapping', () => {
    // Act
    const { lines } = refusal(['api_token', 't']);
    // Assess
    expect(lines).toEqual([': expected an object of config keys, received array']);
  });

  it('takes any config for a pack without a schema', () => {
    // Act + Assess
    expect(validatePackConfig('demo', {}, { whatever: 1 })).toEqual({ whatever: 1 });
  });
});

describe('applyConfigDefaults', () => {
  it('fills missing keys, nested objects and the objects of arrays as st2\'s config loader does', () => {
    // Act
    const config = applyConfigDefaults(SCHEMA, { api_token: 't', timeout: 5, hosts: [{ name: 'a' }, { name: 'b', port: 2222 }] });
    // Assess
    expect(config).toEqual({
      api_url: 'https://api.example.test/v2',
      api_token: 't',
      timeout: 5,
      proxy: { host: 'proxy.internal', port: 3128 },
      hosts: [
        { name: 'a', port: 22 },
        { name: 'b', port: 2222 },
      ],
      optional_note: null,
    });
  });

  it('keeps what the operator set over defaults, and leaves the input untouched', () => {
    // Prepare
    const input = { api_url: 'https://other', proxy: { host: 'p2' } };
    // Act
    const config = applyConfigDefaults(SCHEMA, input);
    // Assess
    expect(config['api_url']).toBe('https://other');
    expect(config['proxy']).toEqual({ host: 'p2', port: 3128 });
    expect(input).toEqual({ api_url: 'https://other', proxy: { host: 'p2' } });
  });
});

describe('sealConfig and unsealConfig', () => {
  it('masks top-level and nested secret values and keeps them apart', () => {
    // Act
    const sealed = sealConfig(SCHEMA, { api_token: 'tok-1', proxy: { host: 'h', password: 'pw-1' }, timeout: 3 });
    // Assess
    expect(sealed.values).toEqual({ api_token: SECRET_MASK, proxy: { host: 'h', password: SECRET_MASK }, timeout: 3 });
    expect(sealed.secrets).toEqual([
      { path: ['api_token'], value: 'tok-1' },
      { path: ['proxy', 'password'], value: 'pw-1' },
    ]);
    expect(unsealConfig(sealed.values, sealed.secrets)).toEqual({ api_token: 'tok-1', proxy: { host: 'h', password: 'pw-1' }, timeout: 3 });
  });

  it('keeps the stored secret when a config read back masked is put again', () => {
    // Prepare
    const previous = sealConfig(SCHEMA, { api_token: 'tok-1', proxy: { password: 'pw-1' } }).secrets;
    // Act
    const sealed = sealConfig(SCHEMA, { api_token: SECRET_MASK, proxy: { password: 'pw-2' } }, previous);
    // Assess
    expect(sealed.secrets).toEqual([
      { path: ['api_token'], value: 'tok-1' },
      { path: ['proxy', 'password'], value: 'pw-2' },
    ]);
  });

  it('stores no secret for a mask with nothing behind it, so the mask itself is validated', () => {
    // Act
    const sealed = sealConfig(SCHEMA, { api_token: SECRET_MASK });
    // Assess
    expect(sealed.secrets).toEqual([]);
    expect(sealed.values).toEqual({ api_token: SECRET_MASK });
  });
});

describe('Exchange-style schemas', () => {
  /** Accounts in a list, each with a secret password and a required port that has a default. */
  const ACCOUNTS: ConfigSchema = {
    mail_accounts: {
      type: 'array',
      required: true,
      items: {
        type: 'object',
        required: true,
        properties: {
          name: { type: 'string', required: true },
          password: { type: 'string', secret: true, required: true },
          port: { type: 'integer', default: 993, required: true },
        },
      },
    },
    watcher: {
      type: 'object',
      additionalProperties: false,
      properties: { events: { type: 'array', items: { type: 'string' }, default: ['push'] }, repos: { type: 'array', required: true } },
    },
  };

  it('validates each account, filling its port default before the required check', () => {
    // Act
    const { lines } = refusal({ mail_accounts: [{ name: 'a', password: 'p1' }, { name: 'b' }], watcher: { repos: [], colour: 'red' } }, ACCOUNTS);
    // Assess
    expect(lines).toEqual(['mail_accounts.1.password: is required', 'watcher.colour: unknown key (expected one of events, repos)']);
  });

  it('leaves an absent sensor section unchecked, and fills it at run time as st2\'s loader does', () => {
    // Prepare
    const config = { mail_accounts: [{ name: 'a', password: 'p1' }] };
    // Act
    validatePackConfig('mail', ACCOUNTS, config);
    const run = applyConfigDefaults(ACCOUNTS, config);
    // Assess
    expect(run).toEqual({ mail_accounts: [{ name: 'a', password: 'p1', port: 993 }], watcher: { events: ['push'] } });
  });

  it('seals the secret of every account in a list by its index', () => {
    // Act
    const sealed = sealConfig(ACCOUNTS, { mail_accounts: [{ name: 'a', password: 'p1' }, { name: 'b', password: 'p2' }] });
    // Assess
    expect(sealed.values).toEqual({ mail_accounts: [{ name: 'a', password: SECRET_MASK }, { name: 'b', password: SECRET_MASK }] });
    expect(sealed.secrets.map((s) => s.path)).toEqual([['mail_accounts', 0, 'password'], ['mail_accounts', 1, 'password']]);
  });
});
