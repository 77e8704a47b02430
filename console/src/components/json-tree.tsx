/**
 * A JSON value as a collapsible tree: objects and arrays are native <details> (keyboard and screen
 * reader friendly without script), scalars are typed by colour and shown as JSON.
 */
const OPEN_DEPTH = 2;

function Scalar({ value }: { value: unknown }) {
  const type = value === null ? 'null' : typeof value;
  return <span class={`json-${type}`}>{JSON.stringify(value)}</span>;
}

function Node({ name, value, depth }: { name: string | undefined; value: unknown; depth: number }) {
  const label = name === undefined ? null : <span class="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-row">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div class="json-row">
        {label}
        {open}
        {close}
      </div>
    );
  }
  return (
    <details class="json-node" open={depth < OPEN_DEPTH}>
      <summary>
        {label}
        {open}
        <span class="json-count">{entries.length} {Array.isArray(value) ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}</span>
      </summary>
      <div class="json-children">
        {entries.map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} />
        ))}
      </div>
      <div class="json-row">{close}</div>
    </details>
  );
}

/** Renders `value` as a tree. */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <div class="json-tree">
      <Node name={undefined} value={value} depth={0} />
    </div>
  );
}
