/**
 * Hash routing: `#/executions/abc?status=failed`. The hash keeps every page a plain link (works with
 * the keyboard, the back button and a new tab) while the server serves one index.html.
 */
import { useEffect, useState } from 'preact/hooks';

/** The current route: its path segments and query. */
export interface Route {
  parts: string[];
  query: URLSearchParams;
}

function parse(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  return { parts: parts.length === 0 ? ['executions'] : parts, query: new URLSearchParams(search) };
}

/** The route of the current location, updated as the hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A link target: `href('executions', id)` is `#/executions/<id>`. */
export function href(...parts: string[]): string {
  return `#/${parts.map((p) => encodeURIComponent(p)).join('/')}`;
}

/** Goes to a page, replacing the query (filters) when given. */
export function navigate(target: string, query?: URLSearchParams): void {
  const search = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
  window.location.hash = `${target.replace(/^#/, '')}${search}`;
}
