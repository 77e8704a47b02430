import { describe, expect, it } from 'vitest';
import { AttuneError, isClientError } from '../../../engine/errors/index.ts';
import { evaluate, renderText, validateText, YaqlEvaluationError, YaqlFault, YaqlSyntaxError } from '../../../engine/expressions/yaql/index.ts';
import { failure } from './yaql-failure.ts';


describe('YAQL error messages', () => {
  it('names the missing closing parenthesis, its position and the expression', () => {
    // Act
    const error = failure(() => renderText('<% ctx(x).foo( %>', { x: {} }));
    // Assess
    expect(error).toBeInstanceOf(YaqlSyntaxError);
    expect(`${error.name}: ${error.message}`).toBe(`YaqlSyntaxError: expected ')' at 14 in "<% ctx(x).foo( %>"`);
    expect(error.position).toBe(14);
    expect(error.expression).toBe('<% ctx(x).foo( %>');
  });

  it('names the unexpected token and what was expected instead', () => {
    expect(failure(() => evaluate('1 +/ 2')).message).toBe(`unexpected '/', expected a value at 3 in "1 +/ 2"`);
    expect(failure(() => evaluate('[1, 2')).message).toBe(`expected ']' at 5 in "[1, 2"`);
    expect(failure(() => evaluate('f(1,)')).message).toBe(`unexpected ')' after ',' at 4 in "f(1,)"`);
    expect(failure(() => evaluate('1 2')).message).toBe(`unexpected number 2, expected an operator or the end at 2 in "1 2"`);
  });

  it('reports an illegal character as a lexical error at its position', () => {
    // Act
    const error = failure(() => renderText('<% {"a": 123} %>'));
    // Assess
    expect(error.kind).toBe('YaqlLexicalException');
    expect(error.message).toBe(`illegal character ':' at 7 in "<% {\\"a\\": 123} %>"`);
  });

  it('positions an error in the segment of a text with several expressions', () => {
    // Act
    const error = failure(() => renderText('a=<% 1 %> b=<% ctx().missing %>', {}));
    // Assess
    expect(error.expression).toBe('<% ctx().missing %>');
    expect(error.kind).toBe('KeyError');
    expect(error.message).toBe(`key 'missing' is not in the dict at 8 in "<% ctx().missing %>"`);
  });

  it('says an undefined variable is undefined, as Orquesta does', () => {
    const error = failure(() => renderText('<% ctx(nope) %>', { yes: 1 }));
    expect(error.kind).toBe('VariableUndefinedError');
    expect(error.message).toBe('The variable "nope" is undefined. at 3 in "<% ctx(nope) %>"');
  });

  it('tells an unknown function from an unknown method and from arguments that fit no overload', () => {
    expect(failure(() => evaluate('nosuch(1)')).message).toBe('unknown function "nosuch" at 0 in "nosuch(1)"');
    expect(failure(() => evaluate('[1].nosuch()')).message).toBe('unknown method "nosuch" for a list receiver at 4 in "[1].nosuch()"');
    expect(failure(() => evaluate("'a' + 1")).message).toBe(`no function "#operator_+" matches the arguments given at 4 in "'a' + 1"`);
    expect(failure(() => evaluate('sum([1, 2])')).kind).toBe('NoFunctionRegisteredException');
  });

  it('never quotes data in a message, only its type', () => {
    // Prepare
    const context = { password: 'hunter2-secret', list: ['hunter2-secret'] };
    // Act
    const messages = ['<% int(ctx(password)) %>', '<% ctx(list).nosuch() %>', '<% ctx(password) + 1 %>', '<% ctx(list)[ctx(password)] %>'].map(
      (text) => failure(() => renderText(text, context)).message,
    );
    // Assess
    for (const message of messages) expect(message).not.toContain('hunter2');
  });

  it('derives from AttuneError with a stable code and a client status', () => {
    const syntax = failure(() => evaluate('('));
    const evaluation = failure(() => evaluate('1 / 0'));
    expect(syntax).toBeInstanceOf(AttuneError);
    expect(syntax.code).toBe('yaql_syntax');
    expect(evaluation).toBeInstanceOf(YaqlEvaluationError);
    expect(evaluation.code).toBe('yaql_evaluation');
    expect(evaluation.kind).toBe('ZeroDivisionError');
    expect(isClientError(evaluation)).toBe(true);
    expect(evaluation.status).toBe(400);
  });

  it('locates a fault a host function raises at the call', () => {
    // Prepare
    const functions = {
      task: {
        params: ['name'],
        fn: () => {
          throw new YaqlFault('ExpressionEvaluationException', 'task "x" is not in the workflow');
        },
      },
    };
    // Act
    const error = failure(() => evaluate('1 + task(x).result', { functions }));
    // Assess
    expect(error.message).toBe('task "x" is not in the workflow at 4 in "1 + task(x).result"');
    expect(error.cause).toBeInstanceOf(YaqlFault);
  });

  it('wraps any other failure of a host function, keeping it as the cause', () => {
    const boom = new Error('boom');
    const error = failure(() => evaluate('f()', { functions: { f: () => { throw boom; } } }));
    expect(error.kind).toBe('ExpressionEvaluationException');
    expect(error.cause).toBe(boom);
  });

  it('lists the syntax errors of every expression of a text, as Orquesta validate does', () => {
    // Act
    const errors = validateText('<% 1 +/ 2 %> and <% {"a": 123} %> and <% fine() %>');
    // Assess
    expect(errors.map((e) => e.kind)).toEqual(['YaqlGrammarException', 'YaqlLexicalException']);
    expect(errors.map((e) => e.expression)).toEqual(['<% 1 +/ 2 %>', '<% {"a": 123} %>']);
  });

  it('reports a grammar error before a bad character, as yaql does', () => {
    const error = failure(() => renderText('<% <% ctx().a %> %>', { a: 1 }));
    expect(error.kind).toBe('YaqlGrammarException');
    expect(error.message).toBe(`unexpected '<', expected a value at 3 in "<% <% ctx().a %>"`);
  });
});
