import { startDevEngine, type DevEngine } from '../dev/index.ts';
import { CliError } from '../errors.ts';

/**
 * `attune dev` (what `npm start` runs): the whole engine on the local AWS stack, until Ctrl-C.
 */
export async function runDev(): Promise<void> {
  const started = Date.now();
  let engine: DevEngine;
  try {
    engine = await startDevEngine();
  } catch (err) {
    // What failed and how to fix it, not a stack trace: everything started is stopped again.
    throw new CliError(`could not start: ${(err as Error).message}`, { cause: err });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `Attune is running at ${engine.url} (ready in ${seconds} s)`,
      `  packs: ${engine.registered.join(', ') || 'none'}`,
      `  API key: ${engine.apiKeySource}`,
      `  console: ${engine.url}/ui/`,
      '',
      'Try it, in another terminal:',
      `  npx attune run core.local cmd='echo hello from attune'`,
      `  curl -s -X POST ${engine.url}/v1/webhooks/greet -H "Authorization: Bearer $(cat .attune/api-key)" \\`,
      `       -H 'content-type: application/json' -d '{"name":"Ada","count":2}'`,
      '  npx attune execution list',
      '',
      'Ctrl-C stops everything it started.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('stopping…\n');
  await engine.stop();
}
