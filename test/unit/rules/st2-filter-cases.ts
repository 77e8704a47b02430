import type { Criteria } from '../../../engine/rules/index.ts';

// st2's rule-filter and search cases (st2reactor/tests/unit/test_filter.py and the
// SearchOperatorTest of st2common/tests/unit/test_operators.py), re-expressed as whole criteria
// over a payload. `source` names the st2 test each row is from.

/** Criteria over a context, with st2's answer. */
export interface FilterCase {
  source: string;
  criteria: Criteria;
  /** The trigger payload (st2's trigger_instance.payload). */
  payload: unknown;
  /** Other context besides `trigger` (the datastore, `st2kv`). */
  extra?: Record<string, unknown>;
  expected: boolean;
}

const PAYLOAD = {
  p1: 'v1',
  p2: 'preYYYpost',
  bool: true,
  int: 1,
  float: 0.8,
  list: ['v1', true, 1],
  recursive_list: [
    { field_name: 'Status', to_value: 'Approved' },
    { field_name: 'Signed off by', to_value: 'Stanley' },
  ],
};

const LIST_WITH_COMMAS = `
                    [
                        {% for item in trigger.list %}
                        {{item}}{% if not loop.last %},{% endif %}
                        {% endfor %}
                    ]
                `;
const LIST_WITHOUT_COMMAS = `
                    [
                        {% for item in trigger.list %}
                        {{item}}
                        {% endfor %}
                    ]
                `;

const filter = (source: string, criteria: Criteria, expected: boolean, payload: unknown = PAYLOAD, extra?: Record<string, unknown>): FilterCase => ({
  source,
  criteria,
  payload,
  expected,
  ...(extra ? { extra } : {}),
});

const search = (condition: string, pattern: Criteria): Criteria => ({ 'trigger.items': { type: 'search', condition, pattern } });
const levels = (...values: number[]) => ({ items: values.map((v) => ({ field_name: 'waterLevel', to_value: v })) });
const kv = (values: Record<string, string>) => ({ st2kv: { system: values } });

/** test_filter.py: FilterTest. */
export const FILTER_CASES: FilterCase[] = [
  filter('test_empty_criteria', {}, true),
  filter('test_empty_payload', { 'trigger.p1': { type: 'equals', pattern: 'v1' } }, false, null),
  filter('test_empty_criteria_and_empty_payload', {}, true, null),
  filter(
    'test_search_operator_pass_any_criteria',
    { 'trigger.recursive_list': { type: 'search', condition: 'any', pattern: { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } } } },
    true,
  ),
  filter(
    'test_search_operator_fail_any_criteria',
    { 'trigger.recursive_list': { type: 'search', condition: 'any', pattern: { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Denied' } } } },
    false,
  ),
  filter('test_search_operator_pass_all_criteria', { 'trigger.recursive_list': { type: 'search', condition: 'all', pattern: { 'item.field_name': { type: 'startswith', pattern: 'S' } } } }, true),
  filter(
    'test_search_operator_fail_all_criteria',
    { 'trigger.recursive_list': { type: 'search', condition: 'all', pattern: { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Denied' } } } },
    false,
  ),
  filter('test_matchregex_operator_pass_criteria', { 'trigger.p1': { type: 'matchregex', pattern: 'v1$' } }, true),
  filter('test_matchregex_operator_fail_criteria', { 'trigger.p1': { type: 'matchregex', pattern: 'v$' } }, false),
  filter('test_equals_operator_pass_criteria', { 'trigger.p1': { type: 'equals', pattern: 'v1' } }, true),
  filter('test_equals_operator_pass_criteria', { 'trigger.p1': { type: 'equals', pattern: '{{trigger.p1}}' } }, true),
  filter('test_equals_operator_pass_criteria', { 'trigger.p1': { type: 'equals', pattern: "{{'%s' % trigger.p1 if trigger.int}}" } }, true),
  filter('test_equals_operator_pass_criteria', { 'trigger.list': { type: 'equals', pattern: LIST_WITH_COMMAS } }, true),
  filter('test_equals_operator_fail_criteria', { 'trigger.p1': { type: 'equals', pattern: 'v' } }, false),
  filter('test_equals_operator_fail_criteria', { 'trigger.p1': { type: 'equals', pattern: '{{trigger.p2}}' } }, false),
  filter('test_equals_operator_fail_criteria', { 'trigger.list': { type: 'equals', pattern: LIST_WITHOUT_COMMAS } }, false),
  filter('test_equals_bool_value', { 'trigger.bool': { type: 'equals', pattern: true } }, true),
  filter('test_equals_bool_value', { 'trigger.bool': { type: 'equals', pattern: '{{trigger.bool}}' } }, true),
  filter('test_equals_bool_value', { 'trigger.bool': { type: 'equals', pattern: '{{ trigger.bool }}' } }, true),
  filter('test_equals_int_value', { 'trigger.int': { type: 'equals', pattern: 1 } }, true),
  filter('test_equals_int_value', { 'trigger.int': { type: 'equals', pattern: '{{trigger.int}}' } }, true),
  filter('test_equals_float_value', { 'trigger.float': { type: 'equals', pattern: 0.8 } }, true),
  filter('test_equals_float_value', { 'trigger.float': { type: 'equals', pattern: '{{trigger.float}}' } }, true),
  filter('test_exists', { 'trigger.float': { type: 'exists' } }, true),
  filter('test_exists', { 'trigger.floattt': { type: 'exists' } }, false),
  filter('test_nexists', { 'trigger.float': { type: 'nexists' } }, false),
  filter('test_nexists', { 'trigger.floattt': { type: 'nexists' } }, true),
  filter('test_gt_lt_falsy_pattern', { 'trigger.int': { type: 'gt', pattern: 0 } }, true),
  filter('test_gt_lt_falsy_pattern', { 'trigger.int': { type: 'lt', pattern: 0 } }, false),
  filter('test_criteria_pattern_references_a_datastore_item', { 'trigger.p1': { type: 'equals', pattern: '{{ st2kv.system.inexistent_value }}' } }, false, PAYLOAD, kv({})),
  filter('test_criteria_pattern_references_a_datastore_item', { 'trigger.p1': { type: 'equals', pattern: '{{ st2kv.system.test_value_1 }}' } }, false, PAYLOAD, kv({ test_value_1: 'non matching' })),
  filter('test_criteria_pattern_references_a_datastore_item', { 'trigger.p1': { type: 'equals', pattern: '{{ st2kv.system.test_value_2 }}' } }, true, PAYLOAD, kv({ test_value_2: 'v1' })),
  filter('test_criteria_pattern_references_a_datastore_item', { 'trigger.p2': { type: 'equals', pattern: '{{ st2kv.system.test_value_3 }}' } }, false, PAYLOAD, kv({ test_value_3: 'YYY' })),
  filter('test_criteria_pattern_references_a_datastore_item', { 'trigger.p2': { type: 'equals', pattern: 'pre{{ st2kv.system.test_value_3 }}post' } }, true, PAYLOAD, kv({ test_value_3: 'YYY' })),
  filter('test_hash_strip_int_value', { 'trigger.int': { type: 'gt', pattern: 0 }, 'trigger.int#2': { type: 'lt', pattern: 2 } }, true),
  filter('test_hash_strip_int_value', { 'trigger.int': { type: 'gt', pattern: 2 }, 'trigger.int#2': { type: 'lt', pattern: 3 } }, false),
  filter('test_hash_strip_int_value', { 'trigger.int#1': { type: 'lt', pattern: 2 } }, true),
];

/**
 * test_operators.py: SearchOperatorTest. st2 drives `search` there with a stub check function
 * that reads `item.to_value` whatever the key; here the nested keys say `item.to_value#n`.
 */
export const SEARCH_CASES: FilterCase[] = [
  filter('test_search_with_weird_condition', search('weird', {}), false, { items: [] }),
  filter(
    'test_search_any_true',
    search('any', { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } }),
    true,
    { items: [{ field_name: 'Status', to_value: 'Approved' }, { field_name: 'Assigned to', to_value: 'Stanley' }] },
  ),
  filter(
    'test_search_any_false',
    search('any', { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } }),
    false,
    { items: [{ field_name: 'Status', to_value: 'Denied' }, { field_name: 'Assigned to', to_value: 'Stanley' }] },
  ),
  filter(
    'test_search_all_false',
    search('all', { 'item.field_name': { type: 'equals', pattern: 'Status' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } }),
    false,
    { items: [{ field_name: 'Status', to_value: 'Approved' }, { field_name: 'Assigned to', to_value: 'Stanley' }] },
  ),
  filter(
    'test_search_all_true',
    search('all', { 'item.field_name': { type: 'startswith', pattern: 'S' }, 'item.to_value': { type: 'equals', pattern: 'Approved' } }),
    true,
    { items: [{ field_name: 'Status', to_value: 'Approved' }, { field_name: 'Signed off by', to_value: 'Approved' }] },
  ),
  filter('test_search_any2any', search('any2any', { 'item.to_value#1': { type: 'lessthan', pattern: 40 }, 'item.to_value#2': { type: 'greaterthan', pattern: 50 } }), true, levels(30, 45)),
  filter('test_search_any2any', search('any2any', { 'item.to_value#1': { type: 'lessthan', pattern: 40 }, 'item.to_value#2': { type: 'greaterthan', pattern: 50 } }), false, levels(44, 45)),
  ...[
    [levels(45, 20), false],
    [levels(46, 20), true],
  ].map(([payload, expected]) =>
    filter(
      'test_search_any',
      search('any', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 }, 'item.to_value#3': { type: 'equals', pattern: 46 } }),
      expected as boolean,
      payload,
    ),
  ),
  filter('test_search_any', search('any', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 } }), true, levels(45, 20)),
  filter(
    'test_search_all2any',
    search('all2any', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 }, 'item.to_value#3': { type: 'equals', pattern: 46 } }),
    true,
    levels(45, 20),
  ),
  filter(
    'test_search_all2any',
    search('all2any', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'greaterthan', pattern: 50 }, 'item.to_value#3': { type: 'equals', pattern: 46 } }),
    false,
    levels(45, 20),
  ),
  filter('test_search_all', search('all', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 } }), true, levels(45, 46)),
  filter('test_search_all', search('all', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 } }), false, levels(30, 46)),
  filter(
    'test_search_all',
    search('all', { 'item.to_value#1': { type: 'greaterthan', pattern: 40 }, 'item.to_value#2': { type: 'lessthan', pattern: 50 }, 'item.to_value#3': { type: 'equals', pattern: 46 } }),
    false,
    levels(45, 46),
  ),
  ...[
    [45, true, false],
    [30, false, false],
    [45, false, true],
  ].map(([level, expected, third]) =>
    filter(
      'test_search_payload_dict',
      search('all', {
        'item.to_value#1': { type: 'greaterthan', pattern: 40 },
        'item.to_value#2': { type: 'lessthan', pattern: 50 },
        ...(third ? { 'item.to_value#3': { type: 'equals', pattern: 46 } } : {}),
      }),
      expected as boolean,
      { items: { field_name: 'waterLevel', to_value: level } },
    ),
  ),
];
