import { describe, expect, it } from 'vitest';
import { TemplateError, TemplateLimitError, renderTemplate } from '../../../engine/templates/index.ts';

describe('hostile templates', () => {
  it('stops a loop that would run a billion steps', () => {
    // Act
    const act = () => renderTemplate('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', {});
    // Assess
    expect(act).toThrow(TemplateLimitError);
    expect(act).toThrow(/more than \d+ steps/);
  });

  it('refuses a range longer than the sandbox allows', () => {
    // Act
    const act = () => renderTemplate('{{ range(10 ** 9) | length }}', {});
    // Assess
    expect(act).toThrow(/Range too big/);
  });

  it('refuses to build a huge string or output', () => {
    // Act
    const repeat = () => renderTemplate('{{ "x" * 100000000 }}', {});
    const output = () => renderTemplate('{% for i in range(5000) %}{{ "x" * 1000 }}{% endfor %}', {});
    // Assess
    expect(repeat).toThrow(TemplateLimitError);
    expect(output).toThrow(/output would be longer than/);
  });

  it('stops a macro that calls itself forever', () => {
    // Act
    const act = () => renderTemplate('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', {});
    // Assess
    expect(act).toThrow(/macros nest deeper than/);
  });

  it('refuses a template nested too deeply to parse, and one too long', () => {
    // Act
    const deep = () => renderTemplate(`{{ ${'('.repeat(50_000)}1${')'.repeat(50_000)} }}`, {});
    const long = () => renderTemplate(`{{ x }}${'y'.repeat(300_000)}`, { x: 1 });
    // Assess
    expect(deep).toThrow(TemplateLimitError);
    expect(long).toThrow(/longer than \d+ characters/);
  });

  it('matches a catastrophic-backtracking pattern in linear time instead of hanging', () => {
    // Prepare
    const input = `${'a'.repeat(100_000)}!`;
    // Act
    const out = renderTemplate('{{ s | regex_match("(a+)+$") }} {{ s | regex_replace("(a|aa)+b", "-") | length }}', { s: input });
    // Assess
    expect(out).toBe('False 100001');
  });

  it('refuses regular expressions RE2 cannot run in linear time, naming the reason', () => {
    // Act
    const lookahead = () => renderTemplate('{{ "ab" | regex_search("a(?=b)") }}', {});
    const backreference = () => renderTemplate('{{ "aa" | regex_match("(a)\\\\1") }}', {});
    // Assess
    expect(lookahead).toThrow(/invalid regular expression/);
    expect(backreference).toThrow(/invalid regular expression: invalid escape sequence/);
  });

  it('refuses a YAML alias bomb', () => {
    // Prepare
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    // Act
    const act = () => renderTemplate('{{ y | from_yaml_string | length }}', { y: bomb });
    // Assess
    expect(act).toThrow(TemplateError);
  });

  it('says how long invalid JSON is without echoing it', () => {
    // Act
    const act = () => renderTemplate('{{ s | from_json_string }}', { s: '{"password": hunter2}' });
    // Assess
    expect(act).toThrow(/not valid JSON \(21 characters\)/);
    expect(act).not.toThrow(/hunter2/);
  });

  it('renders a context that refers to itself as an error, not a crash', () => {
    // Prepare
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    // Act
    const act = () => renderTemplate('{{ loop }}', { loop });
    // Assess
    expect(act).toThrow(TemplateLimitError);
  });
});
