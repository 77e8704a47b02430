/**
 * A form generated from a parameter schema: st2's action parameters (`{name: {type, required,
 * default, enum, secret, immutable, description}}`) or an inquiry's JSON Schema (`properties` +
 * `required`). Values are sent as typed as they can be read; what cannot be read (letters in an
 * integer field) is sent as typed, so the API's own validation names the field and the message is
 * shown beside it.
 */
import { useState } from 'preact/hooks';

/** One field of a schema, in st2's action-parameter shape. */
export interface FieldSpec {
  type?: string | string[];
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  secret?: boolean;
  immutable?: boolean;
  description?: string;
  position?: number;
}

/** The fields of an inquiry's JSON Schema, in the same shape as action parameters. */
export function fieldsOfJsonSchema(schema: unknown): Record<string, FieldSpec> {
  const s = (schema ?? {}) as { properties?: Record<string, FieldSpec>; required?: string[] };
  const required = new Set(s.required ?? []);
  return Object.fromEntries(Object.entries(s.properties ?? {}).map(([name, spec]) => [name, { ...spec, required: spec.required === true || required.has(name) }]));
}

function typeOf(spec: FieldSpec): string {
  const type = Array.isArray(spec.type) ? spec.type.find((t) => t !== 'null') : spec.type;
  return type ?? 'string';
}

/** The value to send for what was typed into a field of `spec`, or undefined to leave it out. */
export function fieldValue(spec: FieldSpec, raw: string): unknown {
  if (raw === '') return undefined;
  const type = typeOf(spec);
  if (spec.enum) return spec.enum.find((v) => String(v) === raw) ?? raw;
  if (type === 'integer' || type === 'number') {
    const n = Number(raw.trim());
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // Not JSON: sent as typed, so the API answers which field and what it expected.
      return raw;
    }
  }
  return raw;
}

function initial(spec: FieldSpec): string {
  if (spec.default === undefined || spec.default === null || spec.secret) return '';
  return typeof spec.default === 'object' ? JSON.stringify(spec.default) : String(spec.default);
}

/** The errors a form shows, by field name; `''` is the form's own (not tied to one field). */
export type FieldErrors = Record<string, string>;

function Field({ name, spec, value, error, onInput }: { name: string; spec: FieldSpec; value: string; error: string | undefined; onInput: (v: string) => void }) {
  const id = `field-${name}`;
  const type = typeOf(spec);
  const describedBy = [spec.description ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, name, disabled: spec.immutable === true, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, required: spec.required === true };
  const set = (event: Event) => onInput((event.currentTarget as HTMLInputElement).value);
  let control;
  if (spec.enum) {
    control = (
      <select {...common} value={value} onChange={set}>
        <option value="">{spec.required ? 'choose…' : '(not set)'}</option>
        {spec.enum.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else if (type === 'boolean') {
    control = (
      <select {...common} value={value} onChange={set}>
        <option value="">(not set)</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (type === 'array' || type === 'object') {
    control = <textarea {...common} value={value} onInput={set} rows={3} placeholder={type === 'array' ? '["a", "b"]' : '{"key": "value"}'} spellcheck={false} />;
  } else {
    // Numbers take a text input: what was typed reaches the API, which names a wrong type.
    const inputType = spec.secret ? 'password' : 'text';
    const inputMode = type === 'integer' ? 'numeric' : type === 'number' ? 'decimal' : undefined;
    control = <input {...common} type={inputType} inputMode={inputMode} value={value} onInput={set} autocomplete={spec.secret ? 'new-password' : 'off'} />;
  }
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>
        {name}
        <span class="muted small">
          {' '}
          {type}
          {spec.required ? ', required' : ''}
          {spec.secret ? ', secret' : ''}
        </span>
      </label>
      {control}
      {spec.description ? (
        <p id={`${id}-help`} class="help">
          {spec.description}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The form. `onSubmit` gets the typed values; it answers field errors (by field name) to show, or
 * nothing on success.
 */
export function SchemaForm({ fields, submitLabel, onSubmit }: { fields: Record<string, FieldSpec>; submitLabel: string; onSubmit: (values: Record<string, unknown>) => Promise<FieldErrors | undefined> }) {
  const names = Object.keys(fields).sort((a, b) => (fields[a]?.position ?? 1e9) - (fields[b]?.position ?? 1e9) || (fields[a]?.required === fields[b]?.required ? a.localeCompare(b) : fields[a]?.required ? -1 : 1));
  const [raw, setRaw] = useState<Record<string, string>>(() => Object.fromEntries(names.map((n) => [n, initial(fields[n] ?? {})])));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const values: Record<string, unknown> = {};
    for (const name of names) {
      const spec = fields[name] ?? {};
      if (spec.immutable) continue;
      const value = fieldValue(spec, raw[name] ?? '');
      if (value !== undefined) values[name] = value;
    }
    try {
      setErrors((await onSubmit(values)) ?? {});
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="schema-form" onSubmit={(e) => void submit(e)} noValidate>
      {names.length === 0 ? <p class="muted">No parameters.</p> : null}
      {names.map((name) => (
        <Field key={name} name={name} spec={fields[name] ?? {}} value={raw[name] ?? ''} error={errors[name]} onInput={(v) => setRaw({ ...raw, [name]: v })} />
      ))}
      {errors[''] ? (
        <p class="notice error" role="alert">
          {errors['']}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
