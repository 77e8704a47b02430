import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import type { FakeEngine } from '../http-api/fake-engine.ts';
import { attune, startFakeApi } from './helpers.ts';

describe('attune execution get and tail on a workflow', () => {
  let server: ApiServer;
  let engine: FakeEngine;
  let workflowId: string;
  beforeAll(async () => {
    ({ server, engine } = await startFakeApi());
    const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
    const workflow = engine.add({ action: 'wf.parent', status: 'succeeded', workflowRunner: 'orquesta', startedAt: at(0), endedAt: at(4) });
    const sub = engine.add({ action: 'wf.sequence', status: 'succeeded', workflowRunner: 'orquesta', parent: workflow.id, task: { id: 'child', route: 0, item: null }, startedAt: at(0), endedAt: at(3) });
    const greet = engine.add({ action: 'core.echo', status: 'succeeded', parent: sub.id, task: { id: 'greet', route: 0, item: null }, startedAt: at(1), endedAt: at(2) });
    const shout = engine.add({ action: 'core.local', status: 'succeeded', parent: sub.id, task: { id: 'shout', route: 0, item: null }, startedAt: at(2), endedAt: at(3) });
    engine.logs.set(greet.id, { stdout: 'hello\n', stderr: '' });
    engine.logs.set(shout.id, { stdout: 'HELLO\n', stderr: 'loud\n' });
    workflowId = workflow.id;
  });
  afterAll(async () => server.close());

  it('prints a workflow as JSON with its task executions under children, a subworkflow with its own', async () => {
    // Act
    const { code, stdout } = await attune(server.url, ['execution', 'get', workflowId]);
    // Assess
    expect(code).toBe(0);
    const tree = JSON.parse(stdout) as { children: { task: { id: string }; children?: { task: { id: string } }[] }[] };
    expect(tree.children.map((c) => c.task.id)).toEqual(['child']);
    expect(tree.children[0]?.children?.map((c) => c.task.id)).toEqual(['greet', 'shout']);
  });

  it('prints the tree as text with --tree: task, action, status and duration per line', async () => {
    const { stdout } = await attune(server.url, ['execution', 'get', workflowId, '--tree']);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${workflowId} wf.parent succeeded 4.0s`);
    expect(lines[1]).toMatch(/^└─ child wf\.sequence succeeded 3\.0s e\d+$/);
    expect(lines[2]).toMatch(/^ {3}├─ greet core\.echo succeeded 1\.0s e\d+$/);
    expect(lines[3]).toMatch(/^ {3}└─ shout core\.local succeeded 1\.0s e\d+$/);
  });

  it("tails a workflow: each task's output in the order the tasks started, under a header", async () => {
    const { code, stdout, stderr } = await attune(server.url, ['execution', 'tail', workflowId]);
    expect(code).toBe(0);
    expect(stdout).toBe('hello\nHELLO\n');
    expect(stderr).toMatch(/--- task greet \(core\.echo\)[^\n]*\n--- task shout \(core\.local\)[^\n]*\nloud\n/);
    expect(stderr).toContain(`workflow ${workflowId} succeeded`);
  });
});
