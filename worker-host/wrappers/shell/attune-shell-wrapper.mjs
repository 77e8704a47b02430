#!/usr/bin/env node
/**
 * Runs one shell action (`local-shell-cmd` or `local-shell-script`). See ../README.md.
 *
 *   echo '{"parameters":{"cmd":"echo hi"},"secrets":{}}' | node attune-shell-wrapper.mjs --cmd
 *   echo '{"parameters":{},"secrets":{"token":"s3cr3t"}}' \
 *     | node attune-shell-wrapper.mjs <pack>/actions/<script> [--name=value ...] [positional ...]
 *
 * `--cmd` runs `parameters.cmd` with `bash -c`. Otherwise the entry script runs with the given
 * arguments (the runner builds them from the non-secret parameters the st2 way); a script that is
 * not executable runs under bash.
 *
 * Secrets never go in env or argv: they are written to an unlinked file in /dev/shm (memory)
 * that the script inherits, read-only, as fd 4. `attune-secret NAME` (on PATH) prints one value.
 * The script may write a JSON result on fd 3 (`attune-result '{"k":1}'`). The report on our own
 * fd 3 is `{"ok": exit == 0, "result": {"return_code": n, "result"?: <script JSON>}}`.
 */
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { constants as osConstants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSecretJson } from '../secret-json.mjs';

// Set by the process runner; absent in a run by hand, where the report goes to stdout.
const RESULT_FD = process.env.ATTUNE_RESULT_FD === undefined ? undefined : Number(process.env.ATTUNE_RESULT_FD);
const SCRIPT_RESULT_FD = 3;
const SECRETS_FD = 4;
const RESULT_LIMIT_BYTES = 4 * 1024 * 1024;
// A background process the script left behind may hold fd 3 open; stop waiting for it this long
// after the script exits (the runner kills the group right after we exit).
const RESULT_DRAIN_MS = 500;
const HELPERS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'bin');

/** `name\0value\0…`: bash's `read -d ''` splits it without any JSON parser. */
function encodeSecrets(secrets) {
  const parts = [];
  for (const [name, raw] of Object.entries(secrets ?? {})) {
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    if (name.includes('\0') || value.includes('\0')) throw new TypeError(`secret ${name}: NUL bytes cannot be passed to a shell`);
    parts.push(name, '\0', value, '\0');
  }
  return Buffer.from(parts.join(''), 'utf8');
}

/** A read-only fd on an already unlinked file holding `data`, in memory (/dev/shm) when possible. */
function secretsFd(data) {
  for (const dir of ['/dev/shm', tmpdir()]) {
    const path = join(dir, `attune-secrets-${randomBytes(12).toString('hex')}`);
    let writer;
    try {
      writer = openSync(path, 'wx', 0o600);
    } catch {
      continue;
    }
    try {
      writeSync(writer, data);
      return openSync(path, 'r');
    } finally {
      closeSync(writer);
      unlinkSync(path);
    }
  }
  throw new Error('no writable directory for the secrets channel (/dev/shm, TMPDIR)');
}

function commandFor(argv, parameters) {
  if (argv[0] === '--cmd') {
    if (typeof parameters.cmd !== 'string' || parameters.cmd === '') throw new TypeError('expected parameters.cmd to be a non-empty string');
    return ['bash', ['-c', parameters.cmd]];
  }
  const [entry, ...args] = argv;
  const script = resolve(entry);
  try {
    accessSync(script, constants.X_OK);
    return [script, args];
  } catch {
    return ['bash', [script, ...args]];
  }
}

function readCapped(stream, exited) {
  return new Promise((done) => {
    if (stream === null || stream === undefined) {
      done({ text: '', tooLarge: false });
      return;
    }
    void exited.then(() => setTimeout(() => stream.destroy(), RESULT_DRAIN_MS).unref());
    const chunks = [];
    let bytes = 0;
    stream.on('data', (chunk) => {
      bytes += chunk.length;
      if (bytes <= RESULT_LIMIT_BYTES) chunks.push(chunk);
    });
    stream.once('close', () => done({ text: Buffer.concat(chunks).toString('utf8').trim(), tooLarge: bytes > RESULT_LIMIT_BYTES }));
    stream.on('error', () => {});
  });
}

/** Writes the report on the result fd (fd 3), or on stdout in a run by hand. */
function writeReport(report) {
  const buffer = Buffer.from(`${JSON.stringify(report)}\n`);
  writeAll(RESULT_FD ?? 1, buffer);
}

function writeAll(fd, buffer) {
  for (let offset = 0; offset < buffer.length; ) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      // fd 3 may be a non-blocking socket; wait for the reader instead of failing.
      if (error.code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

async function main(argv) {
  if (argv.length === 0) {
    process.stderr.write('usage: attune-shell-wrapper.mjs --cmd | <pack>/<script> [args...]  < input.json\n');
    return 2;
  }
  let child;
  try {
    const document = parseSecretJson(readFileSync(0, 'utf8'), 'the input on stdin');
    const [command, args] = commandFor(argv, document.parameters ?? {});
    const fd = secretsFd(encodeSecrets(document.secrets));
    child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe', fd],
      env: {
        ...process.env,
        PATH: `${HELPERS_DIR}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        ATTUNE_RESULT_FD: String(SCRIPT_RESULT_FD),
        ATTUNE_SECRETS_FD: String(SECRETS_FD),
      },
    });
    closeSync(fd);
  } catch (error) {
    process.stderr.write(`${error?.stack ?? String(error)}\n`);
    writeReport({ ok: false, error: { type: error?.name ?? 'Error', message: error?.message ?? String(error) } });
    return 1;
  }
  // The runner signals the whole group; the script gets SIGTERM itself, we wait for its exit.
  process.on('SIGTERM', () => {});
  process.on('SIGINT', () => {});
  const exited = new Promise((done) => {
    child.once('error', (error) => {
      process.stderr.write(`${error.message}\n`);
      done([127, null]);
    });
    child.once('exit', (c, s) => done([c, s]));
  });
  const read = readCapped(child.stdio[SCRIPT_RESULT_FD], exited);
  const [code, signal] = await exited;
  const returnCode = code ?? 128 + (osConstants.signals[signal] ?? 0);
  const { text, tooLarge } = await read;
  const result = { return_code: returnCode };
  if (tooLarge) {
    writeReport({ ok: false, result, error: { type: 'ResultTooLarge', message: `more than ${RESULT_LIMIT_BYTES} bytes written on fd ${SCRIPT_RESULT_FD}` } });
    return returnCode || 1;
  }
  if (text !== '') {
    try {
      result.result = parseSecretJson(text, `the result written on fd ${SCRIPT_RESULT_FD}`);
    } catch (error) {
      writeReport({ ok: false, result, error: { type: 'InvalidResult', message: `expected one JSON document: ${error.message}` } });
      return returnCode || 1;
    }
  }
  writeReport({ ok: returnCode === 0, result });
  return returnCode;
}

process.exitCode = await main(process.argv.slice(2));
