/**
 * Sensors and their states, when the engine serves `GET /v1/sensors`; an engine without it (404)
 * gets a plain empty state rather than an error.
 */
import type { Api } from '../api.ts';
import { Empty, ErrorNotice, Loading, PageHeader, StatusBadge } from '../components/common.tsx';
import { usePoll } from '../poll.ts';

interface SensorRow {
  ref?: string;
  name?: string;
  pack?: string;
  state?: string;
  status?: string;
  enabled?: boolean;
}

const SENSORS_POLL_MS = 10_000;

/** The sensors page. */
export function SensorsPage({ api }: { api: Api }) {
  const path = '/v1/sensors';
  const polled = usePoll<{ items: SensorRow[] }>((previous) => api.getFresh(path, previous), path, { intervalMs: SENSORS_POLL_MS });
  const missing = polled.error?.status === 404;
  return (
    <section>
      <PageHeader title="Sensors" />
      {missing ? <Empty>This engine does not run sensors: there is nothing to show.</Empty> : <ErrorNotice error={polled.error} what="Sensors could not be loaded" />}
      {!polled.value ? (
        polled.error ? null : <Loading />
      ) : polled.value.items.length === 0 ? (
        <Empty>No sensors are registered.</Empty>
      ) : (
        <table class="list" aria-label="Sensors">
          <thead>
            <tr>
              <th>Sensor</th>
              <th>Pack</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {polled.value.items.map((s) => (
              <tr key={s.ref ?? s.name}>
                <td data-label="Sensor">{s.ref ?? s.name}</td>
                <td data-label="Pack">{s.pack ?? ''}</td>
                <td data-label="State">
                  <StatusBadge status={s.state ?? s.status ?? (s.enabled === false ? 'disabled' : 'unknown')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
