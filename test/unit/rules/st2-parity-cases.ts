// StackStorm's own operator and rule-filter cases (st2common/tests/unit/test_operators.py,
// st2reactor/tests/unit/test_filter.py), re-expressed as data. st2's variants that mix bytes and
// str are one case here: a JSON payload has no bytes. `source` names the st2 test each row is from.

/** A criterion's value (payload) and pattern, with st2's answer. */
export interface OperatorCase {
  source: string;
  operator: string;
  value: unknown;
  pattern: unknown;
  expected: boolean;
}

/** The instant the timediff cases measure against, and "now" as Python's isoformat() writes it. */
export const NOW = new Date('2026-07-01T12:00:00.000Z');
const NOW_ISO = '2026-07-01T12:00:00.000000+00:00';
const OLD = '2014-07-01T00:01:01.000000';

const rows = (source: string, operator: string, cases: [unknown, unknown, boolean][]): OperatorCase[] =>
  cases.map(([value, pattern, expected]) => ({ source, operator, value, pattern, expected }));

const PONIES_LINES = 'ponies\n        moar\n        foo\n        bar\n        yeah!\n        ';

export const OPERATOR_CASES: OperatorCase[] = [
  ...rows('test_matchwildcard', 'matchwildcard', [
    ['v1', 'v1', true],
    ['test foo test', 'foo', false],
    ['test foo test', '*foo*', true],
    ['bar', 'b*r', true],
    ['bar', 'b?r', true],
    ['1', null, false],
  ]),
  ...rows('test_matchregex', 'matchregex', [
    ['v1', 'v1$', true],
    [PONIES_LINES, '.*bar.*', true],
    ['foo\r\nponies\nbar\nfooooo', '.*ponies.*', true],
    ['foo ponies bar', '.*ponies.*', true],
  ]),
  ...rows('test_iregex', 'iregex', [
    ['V1', 'v1$', true],
    ['fooPONIESbarfooooo', 'ponies', true],
  ]),
  ...rows('test_iregex_fail', 'iregex', [
    ['V1_foo', 'v1$', false],
    ['1', null, false],
  ]),
  ...rows('test_regex', 'regex', [
    ['v1', 'v1$', true],
    ['fooponiesbarfooooo', 'ponies', true],
    ['apple ponies oranges', '(ponies|unicorns)', true],
    ['apple unicorns oranges', '(ponies|unicorns)', true],
    ['apples unicorns oranges', '(ponies|unicorns)', true],
    ['apple unicorns oranges', '(pikachu|snorlax|charmander)', false],
  ]),
  ...rows('test_regex_fail', 'regex', [
    ['v1_foo', 'v1$', false],
    ['fooPONIESbarfooooo', 'ponies', false],
    ['1', null, false],
  ]),
  ...rows('test_matchregex_case_variants', 'MATCHREGEX', [['v1', 'v1$', true]]),
  ...rows('test_matchregex_case_variants', 'MATCHregex', [['v1', 'v1$', true]]),
  ...rows('test_matchregex_fail', 'matchregex', [
    ['v1_foo', 'v1$', false],
    ['1', null, false],
  ]),
  ...rows('test_equals_numeric', 'equals', [[1, 1, true]]),
  ...rows('test_equals_string', 'equals', [
    ['1', '1', true],
    ['', '', true],
  ]),
  ...rows('test_equals_fail', 'equals', [
    ['1', '2', false],
    ['1', null, false],
  ]),
  ...rows('test_nequals', 'nequals', [
    ['foo', 'bar', true],
    ['foo', 'foo1', true],
    ['foo', 'FOO', true],
    ['True', true, true],
    ['None', null, true],
    ['True', 'True', false],
    [null, null, false],
  ]),
  ...rows('test_iequals', 'iequals', [
    ['ABC', 'ABC', true],
    ['ABC', 'abc', true],
    ['AbC', 'aBc', true],
  ]),
  ...rows('test_iequals_fail', 'iequals', [
    ['ABC', 'BCA', false],
    ['1', null, false],
  ]),
  ...rows('test_contains', 'contains', [
    ['hasystack needle haystack', 'needle', true],
    ['needle', 'needle', true],
    ['needlehaystack', 'needle', true],
    ['needle haystack', 'needle', true],
    ['haystackneedle', 'needle', true],
    ['haystack needle', 'needle', true],
  ]),
  ...rows('test_contains_fail', 'contains', [
    ['hasystack needl haystack', 'needle', false],
    ['needla', 'needle', false],
    ['1', null, false],
  ]),
  ...rows('test_icontains', 'icontains', [
    ['hasystack nEEdle haystack', 'needle', true],
    ['neeDle', 'NeedlE', true],
    ['needlehaystack', 'needle', true],
    ['NEEDLE haystack', 'NEEDLE', true],
    ['haystackNEEDLE', 'needle', true],
    ['haystack needle', 'NEEDLE', true],
  ]),
  ...rows('test_icontains_fail', 'icontains', [
    ['hasystack needl haystack', 'needle', false],
    ['needla', 'needle', false],
    ['1', null, false],
  ]),
  ...rows('test_ncontains', 'ncontains', [
    ['hasystack needle haystack', 'foo', true],
    ['needle', 'foo', true],
    ['needlehaystack', 'needlex', true],
    ['needle haystack', 'needlex', true],
    ['haystackneedle', 'needlex', true],
    ['haystack needle', 'needlex', true],
  ]),
  ...rows('test_ncontains_fail', 'ncontains', [
    ['hasystack needle haystack', 'needle', false],
    ['needla', 'needla', false],
    ['1', null, false],
  ]),
  ...rows('test_incontains', 'incontains', [
    ['hasystack needle haystack', 'FOO', true],
    ['needle', 'FOO', true],
    ['needlehaystack', 'needlex', true],
    ['needle haystack', 'needlex', true],
    ['haystackneedle', 'needlex', true],
    ['haystack needle', 'needlex', true],
  ]),
  ...rows('test_incontains_fail', 'incontains', [
    ['hasystack needle haystack', 'nEeDle', false],
    ['needlA', 'needlA', false],
    ['1', null, false],
  ]),
  ...rows('test_startswith', 'startswith', [
    ['hasystack needle haystack', 'hasystack', true],
    ['a hasystack needle haystack', 'a ', true],
    ['haystack needle', 'haystack', true],
  ]),
  ...rows('test_startswith_fail', 'startswith', [
    ['hasystack needle haystack', 'needle', false],
    ['a hasystack needle haystack', 'haystack', false],
    ['1', null, false],
  ]),
  ...rows('test_istartswith', 'istartswith', [
    ['haystack needle haystack', 'HAYstack', true],
    ['HAYSTACK needle haystack', 'haystack', true],
  ]),
  ...rows('test_istartswith_fail', 'istartswith', [
    ['hasystack needle haystack', 'NEEDLE', false],
    ['a hasystack needle haystack', 'haystack', false],
    ['1', null, false],
  ]),
  ...rows('test_endswith', 'endswith', [
    ['hasystack needle haystackend', 'haystackend', true],
    ['a hasystack needle haystack b', 'b', true],
  ]),
  ...rows('test_endswith_fail', 'endswith', [
    ['hasystack needle haystackend', 'haystack', false],
    ['a hasystack needle haystack', 'a', false],
    ['1', null, false],
  ]),
  ...rows('test_iendswith', 'iendswith', [
    ['haystack needle haystackEND', 'HAYstackend', true],
    ['HAYSTACK needle haystackend', 'haystackEND', true],
  ]),
  ...rows('test_iendswith_fail', 'iendswith', [
    ['hasystack needle haystack', 'NEEDLE', false],
    ['a hasystack needle haystack', 'a ', false],
    ['1', null, false],
  ]),
  ...rows('test_lt', 'lessthan', [[1, 2, true]]),
  ...rows('test_lt_char', 'lessthan', [['a', 'b', true]]),
  ...rows('test_lt_fail', 'lessthan', [
    [1, 1, false],
    ['1', null, false],
  ]),
  ...rows('test_gt', 'greaterthan', [[2, 1, true]]),
  ...rows('test_gt_str', 'lessthan', [['aba', 'bcb', true]]),
  ...rows('test_gt_fail', 'greaterthan', [
    [2, 3, false],
    ['1', null, false],
  ]),
  ...rows('test_timediff_lt', 'timediff_lt', [[NOW_ISO, 10, true]]),
  ...rows('test_timediff_lt_fail', 'timediff_lt', [
    [OLD, 10, false],
    [OLD, null, false],
  ]),
  ...rows('test_timediff_lt_webui_value', 'timediff_lt', [[NOW_ISO, '10', true]]),
  ...rows('test_timediff_lt_webui_value_fail', 'timediff_lt', [[OLD, '10', false]]),
  ...rows('test_timediff_gt', 'timediff_gt', [[OLD, 1, true]]),
  ...rows('test_timediff_gt_fail', 'timediff_gt', [
    [NOW_ISO, 10, false],
    [OLD, null, false],
  ]),
  ...rows('test_timediff_gt_webui_value', 'timediff_gt', [[OLD, '1', true]]),
  ...rows('test_timediff_gt_webui_value_fail', 'timediff_gt', [[NOW_ISO, '10', false]]),
  ...rows('test_exists', 'exists', [
    [false, null, true],
    [1, null, true],
    ['foo', null, true],
    [null, null, false],
  ]),
  ...rows('test_nexists', 'nexists', [
    [false, null, false],
    [1, null, false],
    ['foo', null, false],
    [null, null, true],
  ]),
  ...rows('test_inside', 'inside', [
    ['a', null, false],
    ['a', 'bcd', false],
    ['a', 'abc', true],
  ]),
  ...rows('test_ninside', 'ninside', [
    ['a', null, false],
    ['a', 'abc', false],
    ['a', 'bcd', true],
  ]),
  ...rows('test_get_operator (any case)', 'EQUALS', [['x', 'x', true]]),
  ...rows('test_get_operator_returns_same_operator_with_different_cases', 'Equals', [['x', 'x', true]]),
];
