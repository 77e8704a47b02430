// Runs install.sh (idempotent; a no-op in milliseconds when everything is installed).
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { installEnv, type StackPaths } from './paths.ts';

export async function runInstall(paths: StackPaths, log: (line: string) => void): Promise<void> {
  const child = spawn('bash', [paths.installScript], {
    cwd: paths.root,
    env: installEnv(paths),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lastLines: string[] = [];
  const forward = (line: string): void => {
    lastLines.push(line);
    if (lastLines.length > 20) lastLines.shift();
    log(line);
  };
  readline.createInterface({ input: child.stdout }).on('line', forward);
  const errors: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    errors.push(line);
    forward(line);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`cannot run ${paths.installScript}: ${error.message}`)));
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  if (code !== 0) {
    // install.sh ends a failure with one "[attune install] ERROR: ..." line saying what is missing.
    const reason =
      errors.find((line) => line.includes('ERROR:'))?.replace(/^\[attune install\] ERROR: /, '') ??
      lastLines.slice(-5).join('\n');
    throw new Error(`local AWS stack install failed (${paths.installScript}, exit ${code}): ${reason}`);
  }
}
