import { describe, expect, it } from 'vitest';
import { ParameterValidationError, templateVariables, validateParameters } from './imports.ts';

const action = (parameters: Record<string, Record<string, unknown>>) => ({
  ref: 'tests.act',
  parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { required: false, secret: false, immutable: false, ...v }])),
});

function refusal(act: ReturnType<typeof action>, params: Record<string, unknown>): ParameterValidationError {
  try {
    validateParameters(act, params);
  } catch (error) {
    if (error instanceof ParameterValidationError) return error;
    throw error;
  }
  throw new Error('expected a ParameterValidationError');
}

describe('rendering parameter templates as st2 does', () => {
  it('never renders values that are data (a rule rendered them over a payload), but still casts them and renders defaults', () => {
    // Prepare: a webhook body put `{{ action_context }}` into a rule parameter.
    const act = action({ message: { type: 'string' }, count: { type: 'integer' }, cmd: { type: 'string', immutable: true, default: 'echo "{{ message }}"' } });
    // Act
    const result = validateParameters(act, { message: '{{ action_context }}', count: '3' }, { action_context: { user: 'stanley' }, renderSupplied: false });
    // Assess
    expect(result.value).toEqual({ message: '{{ action_context }}', count: 3, cmd: 'echo "{{ action_context }}"' });
  });

  it('renders an immutable cmd default with the message parameter, as core.echo in st2', () => {
    // Prepare
    const echo = action({ message: { type: 'string', required: true }, cmd: { type: 'string', immutable: true, default: 'echo "{{message}}"' } });
    // Act
    const result = validateParameters(echo, { message: 'hello' });
    // Assess
    expect(result.value).toEqual({ message: 'hello', cmd: 'echo "hello"' });
  });

  it('renders defaults in dependency order whatever the declaration order', () => {
    // Prepare
    const act = action({
      url: { type: 'string', default: 'https://{{ host }}:{{ port }}/{{ path }}' },
      path: { type: 'string', default: 'v1/{{ host | upper }}' },
      host: { type: 'string', default: 'example' },
      port: { type: 'integer', default: 8080 },
    });
    // Act
    const result = validateParameters(act, { host: 'api' });
    // Assess
    expect(result.value).toEqual({ url: 'https://api:8080/v1/API', path: 'v1/API', host: 'api', port: 8080 });
  });

  it('keeps the type of a whole-expression default for a typed parameter, and casts a text one', () => {
    // Prepare
    const act = action({ n: { type: 'integer', default: 2 }, double: { type: 'integer', default: '{{ n * 2 }}' }, text: { type: 'integer', default: '{{ n }}0' } });
    // Act
    const result = validateParameters(act, {});
    // Assess
    expect(result.value).toEqual({ n: 2, double: 4, text: 20 });
  });

  it('reads action_context and config_context', () => {
    // Prepare
    const act = action({ who: { type: 'string', default: '{{ action_context.user }} in {{ config_context.region }}' } });
    // Act
    const result = validateParameters(act, {}, { action_context: { user: 'stanley' }, config_context: { region: 'eu' } });
    // Assess
    expect(result.value).toEqual({ who: 'stanley in eu' });
  });

  it('reports a cycle naming every parameter in it', () => {
    // Prepare
    const act = action({ a: { type: 'string', default: '{{ b }}' }, b: { type: 'string', default: '{{ c }}x' }, c: { type: 'string', default: '{{ a }}' }, d: { type: 'string', default: 'ok' } });
    // Act
    const error = refusal(act, {});
    // Assess
    expect(error.message).toContain('cyclic dependency between parameters a, b, c');
  });

  it('reports a parameter that refers to itself', () => {
    const error = refusal(action({ a: { type: 'string', default: 'x{{ a }}' } }), {});
    expect(error.issues[0]?.message).toContain('cyclic dependency between parameters a');
  });

  it('leaves a template that names nothing known as text, as st2 does', () => {
    // Act
    const result = validateParameters(action({ body: { type: 'string', default: 'Hi {{ name }}' } }), {});
    // Assess
    expect(result.value).toEqual({ body: 'Hi {{ name }}' });
  });

  it('refuses a template that names a parameter and an unknown name', () => {
    const error = refusal(action({ a: { type: 'string', default: 'x' }, b: { type: 'string', default: '{{ a }}{{ nothere }}' } }), {});
    expect(error.issues).toEqual([{ parameter: 'b', message: 'refers to "nothere", which is neither a parameter nor action_context, config_context or st2kv' }]);
  });

  it('renders templates in supplied values and in objects, keeping whole-expression types', () => {
    // Prepare
    const act = action({ n: { type: 'integer', default: 3 }, spec: { type: 'object', default: { count: '{{ n }}', label: 'n={{ n }}' } } });
    // Act
    const result = validateParameters(act, { n: '5' });
    // Assess
    expect(result.value).toEqual({ n: 5, spec: { count: 5, label: 'n=5' } });
  });

  it('names the parameter whose template fails to render', () => {
    const error = refusal(action({ a: { type: 'object', default: {} }, b: { type: 'string', default: '{{ a.missing.deeper }}' } }), {});
    expect(error.issues[0]?.parameter).toBe('b');
    expect(error.issues[0]?.message).toMatch(/^failed to render/);
  });

  it('finds the names a template reads, leaving out its own loop variables', () => {
    expect(templateVariables('{% for x in items %}{{ x }}{{ sep }}{% endfor %}{{ range(3) }}')).toEqual(new Set(['items', 'sep']));
  });
});
