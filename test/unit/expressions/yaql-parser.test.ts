import { describe, expect, it } from 'vitest';
import { parse, PyFloat, tokenize, YaqlSyntaxError } from '../../../engine/expressions/yaql/index.ts';
import type { ArgNode } from '../../../engine/expressions/yaql/index.ts';

/** A tree as an s-expression: `(#operator_+ 1 (#operator_* 2 3))`. */
function show(node: ArgNode): string {
  switch (node.type) {
    case 'constant':
      return node.value instanceof PyFloat ? `${node.value.value}f` : JSON.stringify(node.value);
    case 'keyword':
      return node.name;
    case 'variable':
      return node.name;
    case 'wrap':
      return show(node.expr);
    case 'mapping':
      return `(=> ${show(node.source)} ${show(node.destination)})`;
    case 'skipped':
      return '_';
    case 'call':
      return `(${node.name}${node.args.map((arg) => ` ${show(arg)}`).join('')})`;
  }
}

const tree = (source: string): string => show(parse(source));

describe('YAQL parser', () => {
  it('binds * tighter than +, and + tighter than comparisons', () => {
    expect(tree('1 + 2 * 3 = 7')).toBe('(*equal (#operator_+ 1 (#operator_* 2 3)) 7)');
  });

  it('applies not to a whole comparison but not across and', () => {
    expect(tree('not a = b')).toBe('(#unary_operator_not (*equal a b))');
    expect(tree('not a and b')).toBe('(#operator_and (#unary_operator_not a) b)');
    expect(tree('not ctx().which in list(a, b)')).toBe('(#unary_operator_not (#operator_in (#operator_. (ctx) which) (list a b)))');
  });

  it('binds and tighter than or, and -> loosest of all, to the right', () => {
    expect(tree('a or b and c')).toBe('(#operator_or a (#operator_and b c))');
    expect(tree('let(x => 1) -> $x or 2')).toBe('(#operator_-> (let (=> x 1)) (#operator_or $x 2))');
    expect(tree('a -> b -> c')).toBe('(#operator_-> a (#operator_-> b c))');
  });

  it('binds unary minus tighter than * but looser than . and indexing', () => {
    expect(tree('-a * b')).toBe('(#operator_* (#unary_operator_- a) b)');
    expect(tree('-$.x[0]')).toBe('(#unary_operator_- (#indexer (#operator_. $ x) 0))');
  });

  it('chains member access, method calls and indexing left to right', () => {
    expect(tree('ctx().vms[0].name')).toBe('(#operator_. (#indexer (#operator_. (ctx) vms) 0) name)');
    expect(tree('$.list.where($ > 1).select($ * 2)')).toBe('(#operator_. (#operator_. (#operator_. $ list) (where (#operator_> $ 1))) (select (#operator_* $ 2)))');
    expect(tree('$?.a.b')).toBe('(#operator_. (#operator_?. $ a) b)');
  });

  it('reads =~ tighter than arithmetic and left-associative subtraction', () => {
    expect(tree('a + b =~ c')).toBe('(#operator_+ a (#operator_=~ b c))');
    expect(tree('2 - 3 - 4')).toBe('(#operator_- (#operator_- 2 3) 4)');
  });

  it('parses list and dict literals, named arguments and skipped positions', () => {
    expect(tree("[1, 'a', [true, null]]")).toBe('(#list 1 "a" (#list true null))');
    expect(tree('{a => 1, $k => [2]}')).toBe('(#map (=> a 1) (=> $k (#list 2)))');
    expect(tree('st2kv(key, decrypt => true)')).toBe('(st2kv key (=> decrypt true))');
    expect(tree('f(, 1)')).toBe('(f _ 1)');
    expect(tree('f()')).toBe('(f)');
  });

  it('keeps ints and floats apart and reads $ names with digits', () => {
    expect(tree('1 + 1.5 + 10.0')).toBe('(#operator_+ (#operator_+ 1 1.5f) 10f)');
    expect(tree('$1 + $var_2')).toBe('(#operator_+ $1 $var_2)');
  });

  it('takes a name followed by ( as a call only without a space', () => {
    expect(tree('ctx()')).toBe('(ctx)');
    expect(() => parse('ctx ()')).toThrow(YaqlSyntaxError);
  });

  it('decodes Python escapes in quoted strings and keeps backticks verbatim', () => {
    const values = tokenize(String.raw`'a\n\t\x41\u00e9\101' "it's" ` + '`a\\nb` ' + String.raw`'\d+'`).filter((t) => t.type === 'string').map((t) => t.text);
    expect(values).toEqual(['a\n\tAéA', "it's", 'a\\nb', '\\d+']);
  });

  it('lexes operator words only as whole words', () => {
    const tokens = tokenize('index in notes and order').map((t) => `${t.type}:${t.text}`);
    expect(tokens).toEqual(['keyword:index', 'op:in', 'keyword:notes', 'op:and', 'keyword:order', 'end:']);
  });

  it('reports the position of every token, astral characters counted as JavaScript counts them', () => {
    const tokens = tokenize("'😀' + x");
    expect(tokens.map((t) => t.pos)).toEqual([0, 5, 7, 8]);
  });
});
