#!/usr/bin/env node
/**
 * The `attune` command (package bin; Node 22 runs this TypeScript directly).
 * @example npx attune run core.local cmd=date
 */
import { processIo } from './io.ts';
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo());
