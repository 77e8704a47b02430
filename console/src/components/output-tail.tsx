/**
 * The live tail of an execution's stdout and stderr: each stream is read from the offset already
 * shown (`GET /v1/executions/{id}/output?offset=`), so a poll carries only new bytes. What is kept
 * on the page is bounded: the oldest text is dropped past MAX_TAIL_CHARS.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { LOG_NEXT_OFFSET_HEADER, LOG_SIZE_HEADER } from '../../../engine/wire/headers.ts';
import type { ExecutionView } from '../../../engine/wire/index.ts';
import type { Api } from '../api.ts';
import { POLL_INTERVAL_MS } from '../poll.ts';
import { TERMINAL } from '../statuses.ts';

/** Characters of one stream the page keeps: a tail, never the whole of a large log. */
export const MAX_TAIL_CHARS = 200_000;

type Stream = 'stdout' | 'stderr';

interface Tail {
  text: string;
  offset: number;
  size: number;
  dropped: boolean;
}

function useTail(api: Api, id: string, stream: Stream, live: boolean): Tail & { error: string | undefined } {
  const [tail, setTail] = useState<Tail>({ text: '', offset: 0, size: 0, dropped: false });
  const [error, setError] = useState<string | undefined>(undefined);
  const state = useRef(tail);
  const liveRef = useRef(live);
  liveRef.current = live;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const decoder = new TextDecoder();
    const read = async () => {
      try {
        // Drain what is stored (pages of OUTPUT_PAGE_BYTES) before waiting for more.
        for (;;) {
          const current = state.current;
          const response = await api.raw(`/v1/executions/${encodeURIComponent(id)}/output?stream=${stream}&offset=${current.offset}`);
          const bytes = new Uint8Array(await response.arrayBuffer());
          if (stopped) return;
          const next = Number(response.headers.get(LOG_NEXT_OFFSET_HEADER) ?? current.offset + bytes.length);
          const size = Number(response.headers.get(LOG_SIZE_HEADER) ?? next);
          let text = current.text + decoder.decode(bytes, { stream: true });
          const dropped = current.dropped || text.length > MAX_TAIL_CHARS;
          if (text.length > MAX_TAIL_CHARS) text = text.slice(text.length - MAX_TAIL_CHARS);
          state.current = { text, offset: next, size, dropped };
          setTail(state.current);
          setError(undefined);
          if (bytes.length === 0 || next >= size) break;
        }
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err.message : String(err));
      }
      if (!stopped && liveRef.current) timer = setTimeout(read, POLL_INTERVAL_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `live` turning false stops the loop after one last read that takes the final bytes.
  }, [api, id, stream, live]);
  return { ...tail, error };
}

function StreamTail({ api, execution, stream }: { api: Api; execution: ExecutionView; stream: Stream }) {
  const live = !TERMINAL.includes(execution.status);
  const tail = useTail(api, execution.id, stream, live);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    // Follow the end while the user has not scrolled up to read.
    const el = pre.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [tail.text]);
  const truncated = execution.log[stream].truncated;
  return (
    <div class="stream">
      <h3>
        {stream} <span class="muted small">{tail.size} bytes{live ? ' · live' : ''}</span>
      </h3>
      {truncated ? (
        <p class="notice warning" role="status">
          The {stream} log reached its size limit: what follows the limit was not kept.
        </p>
      ) : null}
      {tail.dropped ? <p class="muted small">Showing the last {MAX_TAIL_CHARS.toLocaleString()} characters.</p> : null}
      {tail.error ? <p class="notice error">Output could not be read: {tail.error}</p> : null}
      <pre ref={pre} class={`output ${stream}`} tabIndex={0} aria-label={`${stream} of the execution`} data-stream={stream}>
        {tail.text === '' ? <span class="muted">{live ? '(nothing yet)' : '(empty)'}</span> : tail.text}
      </pre>
    </div>
  );
}

/** Both streams of an execution, following them while it runs. */
export function OutputTail({ api, execution }: { api: Api; execution: ExecutionView }) {
  return (
    <div class="output-tail">
      <StreamTail api={api} execution={execution} stream="stdout" />
      <StreamTail api={api} execution={execution} stream="stderr" />
    </div>
  );
}
