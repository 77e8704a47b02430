import { describe, expect, it } from 'vitest';
import { handleWorkflowBatch } from '../../../functions/conductor/index.ts';
import type { WorkflowEvent } from '../../../engine/workflow-runs/index.ts';

const record = (id: string, group: string, body: unknown) => ({ messageId: id, body: typeof body === 'string' ? body : JSON.stringify(body), attributes: { MessageGroupId: group } });

describe('the conductor handler', () => {
  it('reports a failed event and every later event of its workflow, and goes on with other workflows', async () => {
    // Prepare
    const handled: WorkflowEvent[] = [];
    const engine = {
      workflows: {
        handle: async (event: WorkflowEvent) => {
          if (event.kind === 'child-ended' && event.child === 'c1') throw new Error('conflict');
          handled.push(event);
        },
      },
    };
    const event = {
      Records: [
        record('m1', 'w1', { kind: 'child-ended', workflow: 'w1', child: 'c1' }),
        record('m2', 'w2', { kind: 'start', workflow: 'w2' }),
        record('m3', 'w1', { kind: 'child-ended', workflow: 'w1', child: 'c2' }),
        record('m4', 'w3', 'not json'),
      ],
    };
    // Act
    const response = await handleWorkflowBatch(engine, event, () => undefined);
    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm3']);
    expect(handled).toEqual([{ kind: 'start', workflow: 'w2' }]);
  });
});
