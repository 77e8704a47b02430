import { describe, expect, it } from 'vitest';
import type { Action } from '../../../engine/packs/index.ts';
import { ActionCache } from '../../../engine/registry/index.ts';

type Registered = Action & { digest: string };

/** A registry holding one current version per action, counting its reads. */
function registry(current: Record<string, Registered>) {
  const reads: string[] = [];
  return {
    reads,
    current,
    getAction: async (ref: string) => {
      reads.push(ref);
      return current[ref];
    },
  };
}

const action = (ref: string, digest: string): Registered => ({ ref, name: ref.split('.')[1]!, pack: ref.split('.')[0]!, runner_type: 'noop', parameters: {}, enabled: true, digest }) as unknown as Registered;

describe('ActionCache', () => {
  it('reads an action once per pack version it is asked for', async () => {
    // Prepare
    const reg = registry({ 'p.a': action('p.a', 'd1') });
    const cache = new ActionCache(reg);
    // Act
    await cache.get('p.a', 'd1');
    const second = await cache.get('p.a', 'd1');
    // Assess
    expect(second?.digest).toBe('d1');
    expect(reg.reads).toEqual(['p.a']);
  });

  it('reads the registry again for another version, and always when no version is given', async () => {
    // Prepare
    const reg = registry({ 'p.a': action('p.a', 'd1') });
    const cache = new ActionCache(reg);
    await cache.get('p.a', 'd1');
    reg.current['p.a'] = action('p.a', 'd2');
    // Act
    const newer = await cache.get('p.a', 'd2');
    await cache.get('p.a');
    const older = await cache.get('p.a', 'd1');
    // Assess
    expect(newer?.digest).toBe('d2');
    expect(older?.digest).toBe('d1');
    expect(reg.reads).toEqual(['p.a', 'p.a', 'p.a']);
  });

  it('keeps at most its size, dropping the least recently used', async () => {
    // Prepare
    const reg = registry({ 'p.a': action('p.a', 'd1'), 'p.b': action('p.b', 'd1'), 'p.c': action('p.c', 'd1') });
    const cache = new ActionCache(reg, 2);
    await cache.get('p.a', 'd1');
    await cache.get('p.b', 'd1');
    await cache.get('p.a', 'd1');
    // Act
    await cache.get('p.c', 'd1');
    await cache.get('p.a', 'd1');
    await cache.get('p.b', 'd1');
    // Assess: a stayed (used last), b was dropped and read again.
    expect(reg.reads).toEqual(['p.a', 'p.b', 'p.c', 'p.b']);
  });
});
