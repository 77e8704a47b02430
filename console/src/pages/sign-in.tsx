/**
 * Sign-in: the API key is checked against the API (a cheap authenticated read) before it is kept
 * for the session. The key goes in a password field, so it is never shown or autofilled into a URL.
 */
import { useState } from 'preact/hooks';
import { createApi } from '../api.ts';

/** The sign-in page; `onSignedIn` gets the key once the API accepted it. */
export function SignInPage({ onSignedIn, notice }: { onSignedIn: (key: string) => void; notice?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed === '') {
      setError('Enter the API key.');
      return;
    }
    setBusy(true);
    try {
      let refused = false;
      await createApi(trimmed, () => (refused = true)).get('/v1/packs');
      if (!refused) onSignedIn(trimmed);
    } catch (err) {
      setError((err as { status?: number }).status === 401 ? 'The API refused this key.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Attune</h1>
        <p class="muted">Sign in with an API key. It is kept in this tab only, until you sign out or close it.</p>
        {notice ? (
          <p class="notice warning" role="status">
            {notice}
          </p>
        ) : null}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="current-password"
          value={key}
          onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
        />
        {error ? (
          <p id="sign-in-error" class="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
