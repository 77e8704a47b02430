/** Packs, one pack's contents, pack environments, and policies (as packs declare them). */
import type { Api } from '../api.ts';
import { Empty, ErrorNotice, Facts, Loading, PageHeader, StatusBadge } from '../components/common.tsx';
import { formatTime } from '../format.ts';
import { href } from '../router.ts';
import { useList, type PackSummary } from './registry-hooks.ts';

function Links({ refs, page }: { refs: string[]; page: string }) {
  if (refs.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="inline-list">
      {refs.map((r) => (
        <li key={r}>{page ? <a href={href(page, r)}>{r}</a> : r}</li>
      ))}
    </ul>
  );
}

function usePacks(api: Api) {
  return useList<PackSummary>(api, '/v1/packs');
}

/** The packs list. */
export function PacksPage({ api }: { api: Api }) {
  const list = usePacks(api);
  return (
    <section>
      <PageHeader title="Packs" />
      <ErrorNotice error={list.error} what="Packs could not be loaded" />
      {!list.value ? (
        list.error ? null : <Loading />
      ) : list.value.items.length === 0 ? (
        <Empty>No pack is registered.</Empty>
      ) : (
        <table class="list" aria-label="Packs">
          <thead>
            <tr>
              <th>Pack</th>
              <th>Version</th>
              <th>Actions</th>
              <th>Environment</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {list.value.items.map((p) => (
              <tr key={p.ref}>
                <td data-label="Pack">
                  <a href={href('packs', p.ref)}>{p.ref}</a>
                </td>
                <td data-label="Version">{p.version}</td>
                <td data-label="Actions">{p.actions.length}</td>
                <td data-label="Environment">
                  <StatusBadge status={p.environment.state} />
                </td>
                <td data-label="Description">{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One pack: its actions, rules and policies, and its environment. */
export function PackPage({ api, packRef: ref }: { api: Api; packRef: string }) {
  const list = usePacks(api);
  const pack = list.value?.items.find((p) => p.ref === ref);
  if (!pack) {
    return (
      <section>
        <PageHeader title={ref} />
        <ErrorNotice error={list.error} what="Packs could not be loaded" />
        {list.value ? <Empty>No pack {ref} is registered.</Empty> : list.error ? null : <Loading />}
      </section>
    );
  }
  return (
    <section>
      <PageHeader title={`${pack.name} (${pack.ref})`} />
      <Facts
        rows={[
          ['Version', pack.version],
          ['Description', pack.description],
          ['Registered', formatTime(pack.registeredAt)],
          ['Digest', <span class="mono small">{pack.digest}</span>],
          ['Environment', <StatusBadge status={pack.environment.state} />],
          ['Actions', <Links refs={pack.actions} page="actions" />],
          ['Rules', <Links refs={pack.rules} page="" />],
          ['Policies', <Links refs={pack.policies} page="" />],
        ]}
      />
    </section>
  );
}

/** Pack environments: each pack's runtime (venv, node_modules) state and its last build error. */
export function EnvironmentsPage({ api }: { api: Api }) {
  const list = usePacks(api);
  return (
    <section>
      <PageHeader title="Pack environments" />
      <ErrorNotice error={list.error} what="Packs could not be loaded" />
      {!list.value ? (
        list.error ? null : <Loading />
      ) : (
        <table class="list" aria-label="Pack environments">
          <thead>
            <tr>
              <th>Pack</th>
              <th>State</th>
              <th>Environment key</th>
              <th>Since</th>
              <th>Last build error</th>
            </tr>
          </thead>
          <tbody>
            {list.value.items.map((p) => (
              <tr key={p.ref}>
                <td data-label="Pack">
                  <a href={href('packs', p.ref)}>{p.ref}</a>
                </td>
                <td data-label="State">
                  <StatusBadge status={p.environment.state} />
                </td>
                <td data-label="Environment key" class="mono small">
                  {p.environment.key ?? '—'}
                </td>
                <td data-label="Since">{formatTime(p.environment.at)}</td>
                <td data-label="Last build error">{p.environment.error ? <pre class="output small">{p.environment.error}</pre> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Policies, as each pack declares them (concurrency limits show on the Queues page). */
export function PoliciesPage({ api }: { api: Api }) {
  const list = usePacks(api);
  const rows = (list.value?.items ?? []).flatMap((p) => p.policies.map((policy) => ({ pack: p.ref, policy })));
  return (
    <section>
      <PageHeader title="Policies" />
      <ErrorNotice error={list.error} what="Packs could not be loaded" />
      {!list.value ? (
        list.error ? null : <Loading />
      ) : rows.length === 0 ? (
        <Empty>No pack declares a policy.</Empty>
      ) : (
        <table class="list" aria-label="Policies">
          <thead>
            <tr>
              <th>Policy</th>
              <th>Pack</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.pack}/${r.policy}`}>
                <td data-label="Policy">{r.policy}</td>
                <td data-label="Pack">
                  <a href={href('packs', r.pack)}>{r.pack}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
