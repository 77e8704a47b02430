import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError } from '../../../engine/rules/json.ts';

const SECRET = 'hunter2-correct-horse';

function problem(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntaxError(error, text);
  }
  throw new Error('expected JSON.parse to fail');
}

describe('describeJsonSyntaxError', () => {
  it.each([
    ['a bare word', `${SECRET}`],
    ['an unquoted value', `{"token": ${SECRET}}`],
    ['a trailing comma', `["${SECRET}",]`],
    ['a missing comma', `{"token": "${SECRET}" "user": "ada"}`],
    ['text after the value', `{"token": "${SECRET}"} ${SECRET}`],
    ['an unterminated string', `{"token": "${SECRET}`],
  ])('never quotes the input for %s', (_case, text) => {
    // Act
    const described = problem(text);
    // Assess
    expect(described).toMatch(/^is not valid JSON|^ends before/);
    expect(described).not.toMatch(/hunter|horse|token/);
    expect(described).toContain(`${text.length} characters`);
  });

  it('gives the position V8 found the error at', () => {
    // Act, Assess
    expect(problem('{"a":"b" "c"}')).toBe('is not valid JSON at position 9 (of 13 characters)');
  });

  it('says when the input ends early or is empty', () => {
    // Act, Assess
    expect(problem('{"a":')).toBe('ends before its JSON value does (5 characters)');
    expect(problem('  ')).toBe('is empty (2 characters)');
  });
});
