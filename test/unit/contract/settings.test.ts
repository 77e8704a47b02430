import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidEnvironment, loadRuntimeConfig, parseSettings } from '../../../engine/contract/index.ts';
import { AttuneError } from '../../../engine/errors/index.ts';
import { loadDevSettings } from '../../../cli/dev/index.ts';
import { loadWorkerSettings } from '../../../worker-host/index.ts';

const Schema = z.object({
  APP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  APP_RATIO: z.coerce.number().min(0.2).max(3600).default(5),
  APP_MODE: z.enum(['fast', 'safe']).default('safe'),
  APP_URL: z.url(),
  APP_PREFIX: z.string().regex(/\/$/, 'a prefix ends with "/"').optional(),
  APP_NAME: z.string().min(3).optional(),
  // A careless message that quotes the value it refuses.
  APP_TOKEN: z.string().refine((v) => v.startsWith('tk_'), { error: (issue) => `token ${String(issue.input)} does not start with tk_` }).optional(),
});

/** The error `fn` throws, for assertions on its type and fields. */
function thrown(fn: () => unknown): InvalidEnvironment {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidEnvironment) return err;
    throw err;
  }
  throw new Error('expected InvalidEnvironment, nothing was thrown');
}

describe('parseSettings', () => {
  it('applies the defaults for variables that are unset or empty, and reads no other variable', () => {
    const settings = parseSettings(Schema, { APP_URL: 'http://127.0.0.1:9000', APP_PORT: '', OTHER: 'x' }, 'app settings');
    expect(settings).toEqual({ APP_PORT: 8080, APP_RATIO: 5, APP_MODE: 'safe', APP_URL: 'http://127.0.0.1:9000' });
  });

  it('names every bad variable with what it expected, in the schema order, under the label', () => {
    // Act
    const error = thrown(() =>
      parseSettings(Schema, { APP_PORT: 'many', APP_RATIO: '0.1', APP_MODE: 'slow', APP_URL: 'nope', APP_PREFIX: 'a', APP_NAME: 'ab' }, 'app settings'),
    );
    // Assess
    expect(error.message).toBe(
      'invalid app settings: APP_PORT: expected an integer from 0 to 65535; APP_RATIO: expected a number from 0.2 to 3600; ' +
        'APP_MODE: expected one of fast, safe; APP_URL: expected a URL; APP_PREFIX: a prefix ends with "/"; APP_NAME: expected at least 3 characters',
    );
    expect(error.variables).toEqual(['APP_PORT', 'APP_RATIO', 'APP_MODE', 'APP_URL', 'APP_PREFIX', 'APP_NAME']);
  });

  it('says a required variable is not set, and counts an empty one as not set', () => {
    expect(thrown(() => parseSettings(Schema, {}, 'app settings')).message).toBe('invalid app settings: APP_URL: required, but not set');
    expect(thrown(() => parseSettings(Schema, { APP_URL: '' }, 'app settings')).message).toBe('invalid app settings: APP_URL: required, but not set');
  });

  it('rejects a fraction where an integer is expected', () => {
    expect(thrown(() => parseSettings(Schema, { APP_URL: 'http://a', APP_PORT: '80.5' }, 'app settings')).message).toBe(
      'invalid app settings: APP_PORT: expected an integer from 0 to 65535',
    );
  });

  it('never quotes a bad value, and scrubs a secret one even from a message of the schema that quotes it', () => {
    // Prepare
    const hostile = 'sk_live_4f9a8b7c6d5e';
    // Act
    const plain = thrown(() => parseSettings(Schema, { APP_URL: hostile, APP_PORT: hostile, APP_NAME: 'x' }, 'app settings'));
    const secret = thrown(() => parseSettings(Schema, { APP_URL: 'http://a', APP_TOKEN: hostile }, 'app settings', { secret: ['APP_TOKEN'] }));
    // Assess
    expect(plain.message).not.toContain(hostile);
    expect(plain.variables).toEqual(['APP_PORT', 'APP_URL', 'APP_NAME']);
    expect(secret.message).toBe('invalid app settings: APP_TOKEN: token ******** does not start with tk_');
  });

  it('throws an AttuneError with a stable code, a fault of the configuration (500)', () => {
    const error = thrown(() => parseSettings(Schema, {}, 'app settings'));
    expect(error).toBeInstanceOf(AttuneError);
    expect([error.name, error.code, error.status]).toEqual(['InvalidEnvironment', 'configuration', 500]);
  });
});

describe('the settings loaders, on parseSettings', () => {
  it('loadRuntimeConfig names an empty resource variable as not set', () => {
    const error = thrown(() => loadRuntimeConfig({ ATTUNE_STAGE: 'dev', ATTUNE_EXECUTION_QUEUE_URL: '' }));
    expect(error.message).toMatch(/^invalid Attune environment: ATTUNE_EXECUTION_QUEUE_URL: required, but not set; /);
    expect(error.variables).toHaveLength(13);
  });

  it('loadWorkerSettings keeps its defaults and names a lease TTL out of range', () => {
    expect(loadWorkerSettings({ ATTUNE_WORKER_CONCURRENCY: '' })).toMatchObject({ concurrency: 8, leaseTtlSeconds: 30, visibilitySeconds: 30 });
    expect(thrown(() => loadWorkerSettings({ ATTUNE_LEASE_TTL_SECONDS: '1' })).message).toBe(
      'invalid worker settings: ATTUNE_LEASE_TTL_SECONDS: expected an integer from 5 to 3600',
    );
  });

  it('loadWorkerSettings makes the visibility timeout follow a shorter lease TTL unless it is set', () => {
    expect(loadWorkerSettings({ ATTUNE_LEASE_TTL_SECONDS: '5' }).visibilitySeconds).toBe(5);
    expect(loadWorkerSettings({ ATTUNE_LEASE_TTL_SECONDS: '600' }).visibilitySeconds).toBe(30);
    expect(loadWorkerSettings({ ATTUNE_LEASE_TTL_SECONDS: '5', ATTUNE_VISIBILITY_SECONDS: '12' }).visibilitySeconds).toBe(12);
  });

  it('loadDevSettings keeps its defaults, names a bad worker count, and never shows the API key', () => {
    // Prepare
    const key = 'short-key-123';
    // Act
    const defaults = loadDevSettings({});
    const error = thrown(() => loadDevSettings({ ATTUNE_WORKERS: 'many', ATTUNE_API_KEY: key }));
    // Assess
    expect(defaults).toEqual({ ATTUNE_PORT: 8080, ATTUNE_WORKERS: 1, ATTUNE_STAGE: 'dev', ATTUNE_REAPER_INTERVAL_SECONDS: 5, ATTUNE_TIMER_REFRESH_SECONDS: 2, ATTUNE_SENSOR_HOSTS: 1 });
    expect(error.message).toBe('invalid settings: ATTUNE_WORKERS: expected an integer from 0 to 32; ATTUNE_API_KEY: an API key has at least 16 characters');
    expect(error.message).not.toContain(key);
  });
});
