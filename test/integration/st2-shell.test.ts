import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('st2-shell-pack')] });
});

afterAll(async () => {
  await t?.stop();
});

describe("shell actions' results in st2's local runner shape, on the local stack", () => {
  it('core.local answers {failed, succeeded, return_code, stdout, stderr}, stdout as text', async () => {
    // Act
    const done = await finished(t.client, (await t.client.createExecution('core.local', { cmd: 'echo hello; echo oops >&2' })).id);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ failed: false, succeeded: true, return_code: 0, stdout: 'hello', stderr: 'oops' });
  });

  it('a local-shell-script that prints JSON has it parsed in stdout, and a non-zero exit fails with its code', async () => {
    // Act
    const ok = await finished(t.client, (await t.client.createExecution('st2_shell_result.report', {})).id);
    const failed = await finished(t.client, (await t.client.createExecution('st2_shell_result.report', { code: 4 })).id);
    // Assess
    expect(ok.result).toEqual({ failed: false, succeeded: true, return_code: 0, stdout: { hosts: ['a', 'b'], count: 2 }, stderr: 'checked 2 hosts' });
    expect(failed.status).toBe('failed');
    expect(failed.result).toMatchObject({ failed: true, succeeded: false, return_code: 4 });
  });

  it("a command killed on its timeout reports st2's -9 and error text", async () => {
    // Act
    const done = await finished(t.client, (await t.client.createExecution('core.local', { cmd: 'echo started; sleep 30', timeout: 1 })).id);
    // Assess
    expect(done.status).toBe('timeout');
    expect(done.result).toEqual({ failed: true, succeeded: false, return_code: -9, stdout: 'started', stderr: '', error: 'Action failed to complete in 1 seconds' });
  });
});
