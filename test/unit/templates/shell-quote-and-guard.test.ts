import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../engine/templates/index.ts';

/** Python's shlex.quote of each value (recorded by test/fixtures/templates/record-shell-quote.py). */
const GOLDEN = JSON.parse(readFileSync(new URL('../../fixtures/templates/shell-quote.json', import.meta.url), 'utf8')) as { value: string; quoted: string }[];

describe('the shell_quote filter', () => {
  it.each(GOLDEN.map((g) => [JSON.stringify(g.value), g] as const))('quotes %s as shlex.quote does, and sh reads back the value', (_label, golden) => {
    // Act
    const quoted = renderTemplate('{{ v | shell_quote }}', { v: golden.value });
    const printed = execFileSync('sh', ['-c', `printf %s ${quoted}`]).toString('utf8');
    // Assess
    expect(quoted).toBe(golden.quoted);
    expect(printed).toBe(golden.value);
  });

  it('keeps a hostile payload one argument in a rendered command', () => {
    // Prepare: the value a webhook sender controls
    const payload = { body: { branch: "main'; touch /tmp/pwned-by-template; echo '" } };
    // Act
    const cmd = renderTemplate('printf "%s|" {{ trigger.body.branch | shell_quote }} end', { trigger: payload });
    const printed = execFileSync('sh', ['-c', cmd]).toString('utf8');
    // Assess
    expect(printed).toBe(`${payload.body.branch}|end|`);
  });

  it('quotes each item of a list as a word of its own', () => {
    // Act
    const cmd = renderTemplate('{{ files | shell_quote }}', { files: ['a b', 'c', "d'e"] });
    // Assess
    expect(cmd).toBe(`'a b' c 'd'"'"'e'`);
  });
});

describe('attribute filters go through the sandbox guard', () => {
  const context = { items: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }] };
  it.each([
    ['map', '{{ items | map(attribute="__class__") | list }}'],
    ['selectattr', '{{ items | selectattr("__class__") | list }}'],
    ['rejectattr', '{{ items | rejectattr("__init__") | list }}'],
    ['sort', '{{ items | sort(attribute="__class__") }}'],
    ['groupby', '{{ items | groupby("__class__") }}'],
    ['sum', '{{ items | sum(attribute="__len__") }}'],
    ['unique', '{{ items | unique(attribute="__class__") }}'],
    ['max', '{{ items | max(attribute="__class__") }}'],
    ['join', '{{ items | join(",", attribute="__class__") }}'],
    ['attr', '{{ items[0] | attr("__class__") }}'],
    ['map through a dotted path', '{{ items | map(attribute="name.__class__.__mro__") | list }}'],
  ])('%s cannot reach a dunder attribute', (_filter, template) => {
    // Act
    let out: string;
    try {
      out = renderTemplate(template, context);
    } catch (error) {
      out = (error as Error).message;
    }
    // Assess: refused (or undefined), never a Python or JavaScript type object
    expect(out).not.toMatch(/<class|function|\[native code\]|Object\(\)/);
  });

  it.each(['constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('map(attribute=%j) reads no JavaScript internals', (name) => {
    // Act
    const out = renderTemplate(`{{ items | map(attribute="${name}") | list }}`, context);
    // Assess
    expect(out).not.toMatch(/function|native code|\[object/);
  });
});
