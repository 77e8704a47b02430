import { describe, expect, it } from 'vitest';
import { errorOf, setup } from './helpers.ts';

describe('POST /v1/executions', () => {
  it('creates an execution and answers 201 {id, status} with its location', async () => {
    // Prepare
    const { call, engine } = setup();
    // Act
    const res = await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'hi', count: 2 } } });
    // Assess
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; status: string };
    expect(body).toEqual({ id: 'e1', status: 'requested' });
    expect(res.headers.get('location')).toBe('/v1/executions/e1');
    expect(engine.executions.get('e1')?.parameters).toEqual({ message: 'hi', count: 2 });
  });

  it('passes empty parameters when none are given, so the engine names the missing one', async () => {
    const { call } = setup();
    const res = await call('POST', '/v1/executions', { json: { action: 'core.echo' } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'invalid_parameters', field: 'parameters.message' });
  });

  it('names the field when the body fails validation', async () => {
    const { call } = setup();
    const missing = await errorOf(await call('POST', '/v1/executions', { json: { parameters: {} } }));
    const wrongType = await errorOf(await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: [1] } }));
    const unknownKey = await errorOf(await call('POST', '/v1/executions', { json: { action: 'core.echo', params: {} } }));
    expect(missing).toMatchObject({ code: 'invalid_request', field: 'action' });
    expect(wrongType).toMatchObject({ code: 'invalid_request', field: 'parameters' });
    expect(unknownKey).toMatchObject({ code: 'invalid_request', field: 'params' });
  });

  it('names the parameter the engine refused as parameters.<name>', async () => {
    const { call } = setup();
    const res = await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'x', count: 'many' } } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({ code: 'invalid_parameters', field: 'parameters.count', message: 'invalid parameters for action core.echo: count: expected an integer' });
  });

  it('answers 404 naming the action field for an unknown action and 400 for a disabled one', async () => {
    const { call } = setup();
    const unknown = await call('POST', '/v1/executions', { json: { action: 'nope.nothing' } });
    const disabled = await call('POST', '/v1/executions', { json: { action: 'core.off' } });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'unknown_action', field: 'action' });
    expect(disabled.status).toBe(400);
    expect(await errorOf(disabled)).toMatchObject({ code: 'action_disabled', field: 'action' });
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const { call } = setup();
    const res = await call('POST', '/v1/executions', { body: '{"action": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_json');
  });

  it('answers 413 when the body is larger than maxBodyBytes', async () => {
    const { call, engine } = setup({ maxBodyBytes: 100 });
    const res = await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'x'.repeat(200) } } });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');
    expect(engine.executions.size).toBe(0);
  });
});

describe('GET /v1/executions/{id}', () => {
  it('answers the contract shape with nulls for what has not happened and masked secrets', async () => {
    const { call } = setup();
    await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'hi', token: 's3cret' } } });
    const res = await call('GET', '/v1/executions/e1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: 'e1',
      action: 'core.echo',
      status: 'requested',
      parameters: { message: 'hi', token: '********' },
      result: null,
      error: null,
      exitCode: null,
      createdAt: '2024-01-01T00:00:01.000Z',
      enqueuedAt: '2024-01-01T00:00:01.000Z',
      startedAt: null,
      endedAt: null,
      log: { stdout: { bytes: 0, truncated: false }, stderr: { bytes: 0, truncated: false } },
    });
  });

  it('shows result, exit code, log sizes and provenance once finished, and nothing internal', async () => {
    const { call, engine } = setup();
    engine.add({
      action: 'core.echo',
      status: 'succeeded',
      result: { ok: true },
      exitCode: 0,
      startedAt: '2024-01-01T00:01:00Z',
      endedAt: '2024-01-01T00:01:02Z',
      rule: 'core.on_hook',
      triggerInstance: 't1',
      worker: 'host-1',
      sequenceNumber: '42',
      log: { stdout: { bytes: 12, truncated: false, droppedBytes: 0 }, stderr: { bytes: 10, truncated: true, droppedBytes: 5 } },
    });
    const body = (await (await call('GET', '/v1/executions/e1')).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'succeeded', result: { ok: true }, exitCode: 0, rule: 'core.on_hook', triggerInstance: 't1' });
    expect(body.log).toEqual({ stdout: { bytes: 12, truncated: false }, stderr: { bytes: 10, truncated: true } });
    expect(body).not.toHaveProperty('worker');
    expect(body).not.toHaveProperty('sequenceNumber');
    expect(body).not.toHaveProperty('policyKey');
  });

  it('answers 404 not_found for an unknown id', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/executions/missing');
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ code: 'not_found', message: 'execution missing not found' });
  });
});

describe('GET /v1/executions', () => {
  it('lists newest first with filters and a cursor', async () => {
    const { call, engine } = setup();
    engine.add({ action: 'core.echo', status: 'succeeded' });
    engine.add({ action: 'core.other', status: 'failed' });
    engine.add({ action: 'core.echo', status: 'failed' });
    engine.add({ action: 'core.echo', status: 'failed' });
    const first = (await (await call('GET', '/v1/executions?action=core.echo&limit=2')).json()) as { items: Array<{ id: string }>; cursor: string | null };
    const second = (await (await call('GET', `/v1/executions?action=core.echo&limit=2&cursor=${first.cursor}`)).json()) as { items: Array<{ id: string }>; cursor: string | null };
    const failed = (await (await call('GET', '/v1/executions?status=failed')).json()) as { items: Array<{ id: string }> };
    expect(first.items.map((e) => e.id)).toEqual(['e4', 'e3']);
    expect(second).toMatchObject({ items: [{ id: 'e1' }], cursor: null });
    expect(failed.items.map((e) => e.id)).toEqual(['e4', 'e3', 'e2']);
  });

  it('refuses a limit outside 1..100 and an unknown status, naming the query field', async () => {
    const { call } = setup();
    for (const [query, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=ten', 'limit'], ['status=done', 'status']]) {
      const res = await call('GET', `/v1/executions?${query}`);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).field).toBe(field);
    }
  });
});

describe('GET /v1/executions/{id}/output', () => {
  it('answers the stored log of the asked stream as text/plain, stdout by default', async () => {
    const { call, engine } = setup();
    engine.stepsFor = () => [{ status: 'running', stdout: 'hello\n', stderr: 'warn\n' }];
    engine.add({ action: 'core.echo' });
    await engine.getExecution('e1');
    const stdout = await call('GET', '/v1/executions/e1/output');
    const stderr = await call('GET', '/v1/executions/e1/output?stream=stderr');
    expect(stdout.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(stdout.headers.get('cache-control')).toBe('no-store');
    expect(await stdout.text()).toBe('hello\n');
    expect(await stderr.text()).toBe('warn\n');
  });

  it('answers from an offset, with the stored size and where the next read starts', async () => {
    const { call, engine } = setup();
    engine.stepsFor = () => [{ status: 'running', stdout: 'hello world\n', stderr: '' }];
    engine.add({ action: 'core.echo' });
    await engine.getExecution('e1');
    const rest = await call('GET', '/v1/executions/e1/output?offset=6');
    expect(await rest.text()).toBe('world\n');
    expect(rest.headers.get('attune-log-size')).toBe('12');
    expect(rest.headers.get('attune-log-next-offset')).toBe('12');
    const bad = await call('GET', '/v1/executions/e1/output?offset=-1');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).field).toBe('offset');
  });

  it('refuses an unknown stream and answers 404 for an unknown execution', async () => {
    const { call } = setup();
    const badStream = await call('GET', '/v1/executions/e1/output?stream=both');
    const missing = await call('GET', '/v1/executions/nope/output');
    expect(badStream.status).toBe(400);
    expect((await errorOf(badStream)).field).toBe('stream');
    expect(missing.status).toBe(404);
  });
});

describe('DELETE /v1/executions/{id} and re-run', () => {
  it('cancels a queued execution with 202 and a running one to canceling', async () => {
    const { call, engine } = setup();
    engine.add({ action: 'core.echo' });
    engine.add({ action: 'core.echo', status: 'running' });
    const queued = await call('DELETE', '/v1/executions/e1');
    const running = await call('DELETE', '/v1/executions/e2');
    expect(queued.status).toBe(202);
    expect(await queued.json()).toMatchObject({ id: 'e1', status: 'canceled' });
    expect(await running.json()).toMatchObject({ id: 'e2', status: 'canceling' });
  });

  it('answers 409 conflict when the execution has already finished', async () => {
    const { call, engine } = setup();
    engine.add({ action: 'core.echo', status: 'succeeded' });
    const res = await call('DELETE', '/v1/executions/e1');
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toEqual({ code: 'conflict', message: 'execution e1 cannot become canceled from succeeded' });
  });

  it('re-runs with 201 a new execution with the same parameters, and 404 for an unknown one', async () => {
    const { call, engine } = setup();
    engine.add({ action: 'core.echo', status: 'failed', parameters: { message: 'again' } });
    const res = await call('POST', '/v1/executions/e1/re-run');
    const missing = await call('POST', '/v1/executions/nope/re-run');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'e2', status: 'requested' });
    expect(engine.executions.get('e2')).toMatchObject({ parameters: { message: 'again' }, rerunOf: 'e1' });
    expect(missing.status).toBe(404);
  });
});
