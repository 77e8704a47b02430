#!/usr/bin/env node
/**
 * Runs one Node.js action.
 *
 *   echo '{"execution":{"id":"e1","action":"p.a"},"parameters":{},"secrets":{},"config":{}}' \
 *     | node attune-wrapper.mjs <pack>/actions/<entry>.{mjs,js,cjs}
 *
 * The entry exports `run` (or a default function), ESM or CommonJS, called as
 * `await run(parameters, { secrets, config, execution })`. Its return value is the result.
 * The report goes on fd 3 (stdout when fd 3 is not open): `{"ok":true,"result":…}`, or
 * `{"ok":false,"error":{"type","message"}}` when it throws (stack on stderr), exit code 1.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseSecretJson } from '../secret-json.mjs';

// Set by the process runner; absent in a run by hand, where the report goes to stdout.
const RESULT_FD = process.env.ATTUNE_RESULT_FD === undefined ? undefined : Number(process.env.ATTUNE_RESULT_FD);

async function loadRun(entry) {
  const path = resolve(entry);
  let mod;
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (error) {
    // A CommonJS file in an ESM package (or vice versa) can still be loaded by require.
    if (error?.code !== 'ERR_REQUIRE_ESM' && !(error instanceof SyntaxError)) throw error;
    mod = createRequire(path)(path);
  }
  const candidates = [mod?.run, mod?.default?.run, mod?.default, mod];
  const run = candidates.find((c) => typeof c === 'function');
  if (run === undefined) throw new TypeError(`expected ${path} to export a function \`run\` or a default function`);
  return run;
}

function serialize(report) {
  try {
    return JSON.stringify(report, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  } catch (error) {
    // Circular structures cannot become JSON.
    return JSON.stringify({ ok: false, error: { type: 'ResultNotSerializable', message: error.message } });
  }
}

function writeAll(fd, buffer) {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      // fd 3 may be a non-blocking socket; wait for the reader instead of failing.
      if (error.code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Writes the report on the result fd (fd 3), or on stdout in a run by hand. */
function writeReport(report) {
  const text = serialize(report);
  const buffer = Buffer.from(`${text}\n`);
  writeAll(RESULT_FD ?? 1, buffer);
  return JSON.parse(text);
}

async function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: attune-wrapper.mjs <pack>/<entry> < input.json\n');
    return 2;
  }
  try {
    const document = parseSecretJson(readFileSync(0, 'utf8'), 'the input on stdin');
    const run = await loadRun(argv[0]);
    const result = await run(document.parameters ?? {}, {
      secrets: document.secrets ?? {},
      config: document.config ?? {},
      execution: document.execution ?? {},
    });
    return writeReport({ ok: true, result: result ?? null }).ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`${error?.stack ?? String(error)}\n`);
    writeReport({ ok: false, error: { type: error?.name ?? 'Error', message: error?.message ?? String(error) } });
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
// Handles the action left open (timers, sockets) must not keep a finished action alive.
process.exit();
