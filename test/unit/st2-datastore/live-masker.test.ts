import { describe, expect, it } from 'vitest';
import { LiveMasker } from '../../../worker-host/live-masker.ts';

const feed = (chunks: string[], push: (c: Buffer) => Buffer): string => chunks.map((c) => push(Buffer.from(c)).toString('utf8')).join('');

describe('a run masker that learns secret values while the action runs', () => {
  it('masks a value learnt mid-stream in what follows, across chunk boundaries', () => {
    // Prepare
    const live = new LiveMasker(['known-secret-1']);
    const stream = live.createStreamMasker();
    // Act
    const before = feed(['a known-secret-1 b '], (c) => stream.push(c));
    live.add(['learnt-value-2']);
    const after = feed(['then lear', 'nt-value-2 and known-sec', 'ret-1 end'], (c) => stream.push(c)) + stream.end().toString('utf8');
    // Assess
    expect(before + after).toBe('a ******** b then ******** and ******** end');
  });

  it('keeps a known secret held back at the moment a value is learnt masked', () => {
    // Prepare
    const live = new LiveMasker(['hunter22hunter']);
    const stream = live.createStreamMasker();
    // Act
    const out = feed(['x hunter22'], (c) => stream.push(c));
    live.add(['other-value']);
    const rest = feed(['hunter y'], (c) => stream.push(c)) + stream.end().toString('utf8');
    // Assess
    expect(out + rest).toBe('x ******** y');
  });

  it('masks every value known so far in results, and ignores values it already knows', () => {
    // Prepare
    const live = new LiveMasker(['first-secret']);
    // Act
    live.add(['second-secret', 'first-secret']);
    // Assess
    expect(live.masker.maskJson({ a: 'first-secret', b: ['second-secret'] })).toEqual({ a: '********', b: ['********'] });
  });
});
