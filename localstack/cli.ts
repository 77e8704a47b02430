// node localstack/cli.ts start|stop|status
//   start   start (or reuse) the local AWS stack and leave it running in the background; prints the
//           endpoints and the client environment as `export` lines on stdout (progress on stderr).
//   stop    stop the processes recorded in .attune/run/*.pid.
//   status  show what answers on the two ports; exit 0 when both are healthy, 3 otherwise.
// Ports: ATTUNE_LOCALSTACK_PORT (4566), ATTUNE_MOTO_PORT (4569). State: .attune/ or ATTUNE_HOME.
import { localStackStatus, startLocalStack, stopLocalStack } from './local-stack.ts';

const USAGE = 'usage: node localstack/cli.ts start|stop|status';
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (rest.length > 0 || command === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  switch (command) {
    case 'start': {
      const started = Date.now();
      const handle = await startLocalStack({ log: progress });
      const how = handle.startedHere ? 'started' : 'already running, reused';
      progress(`local AWS stack ${how} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      progress(`  LocalStack (SQS, S3, Secrets Manager, EventBridge, Scheduler, CloudFormation, IAM, STS): ${handle.endpoint}`);
      progress(`  moto DynamoDB: ${handle.dynamodbEndpoint}`);
      progress('  stop it with: node localstack/cli.ts stop');
      for (const [key, value] of Object.entries(handle.env)) process.stdout.write(`export ${key}=${value}\n`);
      return 0;
    }
    case 'stop': {
      const stopped = await stopLocalStack(undefined, progress);
      progress(stopped.length > 0 ? `stopped ${stopped.join(' and ')}` : 'nothing to stop');
      return 0;
    }
    case 'status': {
      const status = await localStackStatus();
      for (const s of status) {
        const pid = s.pid !== undefined ? ` (pid ${s.pid})` : '';
        process.stdout.write(`${s.name.padEnd(10)} ${s.url}  ${s.state}: ${s.detail}${pid}\n`);
      }
      return status.every((s) => s.state === 'healthy') ? 0 : 3;
    }
    default:
      process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
