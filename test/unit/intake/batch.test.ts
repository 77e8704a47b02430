import { describe, expect, it } from 'vitest';
import { handleIntakeBatch, type IntakeEngine } from '../../../functions/event-intake/index.ts';

const silentLog = () => undefined;
const trigger = (i: number) => JSON.stringify({ attune: 1, kind: 'trigger', type: 'core.st2.webhook', payload: { i }, instanceId: `ti-${i}` });

describe('an intake batch', () => {
  it('dispatches its records side by side, and reports back only those that failed', async () => {
    // Prepare: every dispatch waits until all ten have begun, so records handled one after the
    // other would never finish; record 3 fails.
    let begun = 0;
    let open: () => void = () => undefined;
    const allBegun = new Promise<void>((resolve) => (open = resolve));
    const engine: IntakeEngine = {
      dispatchTrigger: async (t) => {
        if (++begun === 10) open();
        await allBegun;
        if ((t.payload as { i: number }).i === 3) throw new Error('store unavailable');
        return { triggerInstance: t.instanceId ?? 'x', executions: [] };
      },
      executionEnded: async () => [],
    };
    const records = Array.from({ length: 10 }, (_, i) => ({ messageId: `m${i}`, body: trigger(i) }));
    // Act
    const answer = await Promise.race([
      handleIntakeBatch(engine, { Records: records }, silentLog),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${begun} of 10 dispatches began`)), 5_000)),
    ]);
    // Assess
    expect(begun).toBe(10);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
  });

  it('drops a record that is neither an engine message nor an EventBridge event, without failing the rest', async () => {
    // Prepare
    const dispatched: string[] = [];
    const engine: IntakeEngine = {
      dispatchTrigger: async (t) => (dispatched.push(t.instanceId ?? ''), { triggerInstance: 'x', executions: [] }),
      executionEnded: async () => [],
    };
    // Act
    const answer = await handleIntakeBatch(engine, { Records: [{ messageId: 'a', body: 'not json' }, { messageId: 'b', body: trigger(1) }] }, silentLog);
    // Assess
    expect(answer.batchItemFailures).toEqual([]);
    expect(dispatched).toEqual(['ti-1']);
  });
});
