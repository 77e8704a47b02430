/**
 * The console's shell: signed out, only the sign-in page exists; signed in, a navigation bar and
 * the page the hash names.
 */
import { useMemo, useState } from 'preact/hooks';
import { createApi, type Api } from './api.ts';
import { TIME_ZONE } from './format.ts';
import { ActionPage, ActionsPage } from './pages/actions.tsx';
import { ExecutionDetailPage } from './pages/execution-detail.tsx';
import { ExecutionsPage } from './pages/executions.tsx';
import { InquiriesPage } from './pages/inquiries.tsx';
import { EnvironmentsPage, PackPage, PacksPage, PoliciesPage } from './pages/packs.tsx';
import { QueuesPage } from './pages/queues.tsx';
import { RulesPage, TriggersPage } from './pages/rules-triggers.tsx';
import { SensorsPage } from './pages/sensors.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { href, useRoute, type Route } from './router.ts';
import { clearKey, loadKey, saveKey } from './session.ts';

const NAV: [string, string][] = [
  ['executions', 'Executions'],
  ['queues', 'Queues'],
  ['actions', 'Actions'],
  ['packs', 'Packs'],
  ['rules', 'Rules'],
  ['triggers', 'Triggers'],
  ['sensors', 'Sensors'],
  ['policies', 'Policies'],
  ['inquiries', 'Inquiries'],
  ['environments', 'Environments'],
];

function Page({ api, route }: { api: Api; route: Route }) {
  const [page, id] = route.parts;
  switch (page) {
    case 'executions':
      return id ? <ExecutionDetailPage key={id} api={api} id={id} /> : <ExecutionsPage api={api} route={route} />;
    case 'queues':
      return <QueuesPage key={id ?? ''} api={api} action={id} />;
    case 'actions':
      return id ? <ActionPage key={id} api={api} actionRef={id} /> : <ActionsPage api={api} />;
    case 'packs':
      return id ? <PackPage key={id} api={api} packRef={id} /> : <PacksPage api={api} />;
    case 'rules':
      return <RulesPage api={api} />;
    case 'triggers':
      return <TriggersPage api={api} />;
    case 'sensors':
      return <SensorsPage api={api} />;
    case 'policies':
      return <PoliciesPage api={api} />;
    case 'inquiries':
      return <InquiriesPage api={api} />;
    case 'environments':
      return <EnvironmentsPage api={api} />;
    default:
      return <p class="empty">There is no page {page}. Go to <a href={href('executions')}>Executions</a>.</p>;
  }
}

/** The whole console. */
export function App() {
  const [key, setKey] = useState<string | undefined>(() => loadKey());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const route = useRoute();
  const signOut = (why?: string) => {
    clearKey();
    setNotice(why);
    setKey(undefined);
  };
  const api = useMemo(() => (key ? createApi(key, () => signOut('The API refused the key: sign in again.')) : undefined), [key]);
  if (!api) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(k) => {
          saveKey(k);
          setNotice(undefined);
          setKey(k);
        }}
      />
    );
  }
  const current = route.parts[0];
  return (
    <>
      <a
        class="skip"
        href="#/"
        onClick={(e) => {
          // The hash is the route: focus the content instead of following the link.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href('executions')}>
          Attune
        </a>
        <nav aria-label="Pages">
          <ul>
            {NAV.map(([page, label]) => (
              <li key={page}>
                <a href={href(page)} aria-current={current === page ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="session">
          <span class="muted small" title="Times are shown in this time zone">
            {TIME_ZONE}
          </span>
          <button type="button" class="secondary" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page api={api} route={route} />
      </main>
    </>
  );
}
