import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidTimer, nextTick, parseTimer } from '../../../engine/timers/index.ts';

interface GoldenCase {
  type: string;
  parameters: Record<string, unknown>;
  from: string;
  anchor?: string;
  ticks?: { ms: number; local: string }[];
  error?: string;
}

const goldens = JSON.parse(readFileSync(new URL('../../fixtures/timers/apscheduler-goldens.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };
const label = (c: GoldenCase) => `${c.type.slice(8)} ${JSON.stringify(c.parameters)} from ${c.from}`;

describe('timer ticks as APScheduler 3.10 computes them (recorded by test/conformance/record-timers.py)', () => {
  it('replays at least 60 recorded cases', () => {
    expect(goldens.cases.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of goldens.cases.filter((g) => g.ticks)) {
    it(`ticks as APScheduler does: ${label(c)}`, () => {
      // Prepare
      const timer = parseTimer(c.type, c.parameters);
      const anchor = c.anchor ? Date.parse(c.anchor) : undefined;
      // Act: the first tick from the instant, then each following one, as the scheduler asks.
      const ticks: number[] = [];
      let from = Date.parse(c.from);
      for (let i = 0; i < c.ticks!.length + 1; i++) {
        const tick = nextTick(timer, from, anchor);
        if (tick === undefined) break;
        ticks.push(tick);
        from = tick + 1;
      }
      // Assess: date timers and exhausted years end where APScheduler's did.
      const expected = c.ticks!.map((t) => t.ms);
      expect(ticks.slice(0, expected.length).map((t) => new Date(t).toISOString())).toEqual(expected.map((t) => new Date(t).toISOString()));
      if (expected.length < 4) expect(ticks).toHaveLength(expected.length);
    });
  }

  for (const c of goldens.cases.filter((g) => g.error)) {
    it(`rejects what APScheduler rejects: ${label(c)}`, () => {
      // Act
      const attempt = () => parseTimer(c.type, c.parameters);
      // Assess: the same message, and the parameter named.
      expect(attempt).toThrow(InvalidTimer);
      expect(attempt).toThrow(c.error!);
      const field = Object.keys(c.parameters).find((k) => k !== 'timezone');
      expect((() => { try { attempt(); } catch (e) { return (e as InvalidTimer).field; } })()).toBe(field);
    });
  }
});
