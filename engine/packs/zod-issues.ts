import type { z } from 'zod';
import { describeValue } from '../rules/index.ts';
import type { PackIssue } from './errors.ts';

type ZodIssue = z.core.$ZodIssue & { input?: unknown };

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/** A message that says what was expected and what was received, in pack authors' terms. */
function message(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'integer' : issue.expected === 'record' ? 'object' : issue.expected;
      if (issue.input === undefined) return `required (expected ${expected})`;
      const hint = expected === 'string' && typeof issue.input === 'number' ? ' (quote it: YAML reads 3.10 as the number 3.1)' : '';
      return `expected ${expected}, received ${describeValue(issue.input)}${hint}`;
    }
    case 'invalid_value':
      return `expected one of ${list(issue.values)}, received ${describeValue(issue.input)}`;
    case 'invalid_union':
      {
        // A discriminated union that matched no option carries the discriminator and its options.
        const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
        if (discriminator !== undefined && Array.isArray(options)) {
          const received = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
          return `expected one of ${list(options)}, received ${describeValue(received)}`;
        }
      }
      return issue.message;
    case 'too_small': {
      const bound = `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `expected a number ${bound}, received ${describeValue(issue.input)}`;
    }
    case 'too_big':
      return `expected at most ${issue.maximum}, received ${describeValue(issue.input)}`;
    case 'invalid_key':
      // A record key refused by its own schema: that schema's message says what keys look like.
      return issue.issues[0]?.message ?? issue.message;
    case 'unrecognized_keys':
      return `unknown key(s) ${list(issue.keys)}`;
    case 'invalid_format':
      return `${issue.message}, received ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

/** Translates a zod error on one file into pack issues naming that file and each field. */
export function toPackIssues(file: string, error: z.ZodError): PackIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const msg = message(issue as ZodIssue);
    return field === '' ? { file, message: msg } : { file, field, message: msg };
  });
}
