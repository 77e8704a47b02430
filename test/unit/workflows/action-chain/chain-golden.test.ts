import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../../engine/packs/index.ts';
import { lazyLookup } from '../../../../engine/templates/index.ts';
import { ActionChainConductor, ActionChainSpecError, parseActionChainSpec } from '../../../../engine/workflows/index.ts';
import { drive } from './drive.ts';
import type { Outcome } from './drive.ts';

interface Case {
  name: string;
  chain: string;
  parameters?: Record<string, unknown>;
  runnerParameters?: { display_published?: boolean };
  outcomes?: Record<string, Outcome[]>;
  config?: Record<string, unknown>;
  kv?: Record<string, string>;
}
interface Answer {
  name: string;
  preRunError?: string;
  raised?: { type: string; message: string };
  status?: 'succeeded' | 'failed' | 'timeout';
  result?: { tasks: unknown[]; published?: unknown; error?: string };
  requests?: { node: string; ref: string; parameters: unknown }[];
}

const here = (file: string) => readFileSync(new URL(`./goldens/${file}`, import.meta.url), 'utf8');
const casesRead = parseYaml(here('chain-cases.yaml'), 'chain-cases.yaml');
if (!casesRead.ok) throw new Error('chain-cases.yaml does not parse');
const cases = (casesRead.data as { cases: Case[] }).cases;
const answers = new Map((JSON.parse(here('chain-runs-golden.json')) as { results: Answer[] }).results.map((a) => [a.name, a]));

/** Runs a case through the conductor as the recorder ran it through st2's runner. */
function run(c: Case) {
  const spec = parseActionChainSpec(c.chain);
  const kv = c.kv ?? {};
  const chain = ActionChainConductor.start(spec, c.parameters ?? {}, {
    actionContext: { execution_id: 'ex-chain', user: 'stanley', pack: 'tests' },
    displayPublished: c.runnerParameters?.display_published ?? true,
    config: c.config ?? {},
    st2kv: { system: lazyLookup((key) => kv[key]), user: lazyLookup((key) => kv[key]) },
  });
  const counts = new Map<string, number>();
  const requests: { node: string; ref: string; parameters: unknown }[] = [];
  const refs = new Map(spec.nodes.map((n) => [n.name, n.ref]));
  drive(chain, (node, input) => {
    const count = counts.get(node) ?? 0;
    counts.set(node, count + 1);
    requests.push({ node, ref: refs.get(node) as string, parameters: input });
    const queue = c.outcomes?.[node] ?? [];
    return queue[Math.min(count, queue.length - 1)] ?? { status: 'succeeded', result: {} };
  });
  chain.renderOutput();
  return { chain, requests };
}

/** The conductor's task entries without what only a real run has (ids and times). */
function withoutRunIds(output: Record<string, unknown> | null): Record<string, unknown> | null {
  if (output === null || !Array.isArray(output['tasks'])) return output;
  const tasks = (output['tasks'] as Record<string, unknown>[]).map(({ execution_id: _e, liveaction_id: _l, created_at: _c, updated_at: _u, ...rest }) => rest);
  return { ...output, tasks };
}

// The goldens are st2's own action_chain_runner.py (and its models, schema and Jinja code) run
// over each case with scripted node outcomes, recorded by record-chain-runs.py.
describe("action chains against st2's own runner", () => {
  it('has a recorded answer for every case', () => {
    // Assess
    expect(cases.map((c) => answers.has(c.name))).toEqual(cases.map(() => true));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare
    const answer = answers.get(c.name) as Answer;
    if (answer.preRunError !== undefined) {
      // Act
      let refused: unknown;
      try {
        parseActionChainSpec(c.chain);
      } catch (error) {
        refused = error;
      }

      // Assess: st2's own message where it names a node or the params clash; ours names the path for shape errors.
      expect(refused).toBeInstanceOf(ActionChainSpecError);
      const messages = (refused as ActionChainSpecError).problems.map((p) => p.message);
      if (/^(Unable to find node|Either "params")/.test(answer.preRunError)) expect(messages).toEqual([answer.preRunError]);
      return;
    }

    // Act
    const { chain, requests } = run(c);

    // Assess
    expect(requests).toEqual(answer.requests);
    if (answer.raised !== undefined) {
      // st2's runner container turns the escaped exception into the result {error, traceback}.
      expect(chain.status).toBe('failed');
      expect(chain.output).toEqual({ error: answer.raised.message });
      return;
    }
    expect(chain.chainStatus).toBe(answer.status);
    expect(chain.status).toBe(answer.status === 'succeeded' ? 'succeeded' : 'failed');
    const expected = { ...answer.result } as Record<string, unknown>;
    const got = withoutRunIds(chain.output) as Record<string, unknown>;
    const varsError = /^Failed initializing ``vars`` in chain\.\. (.*)$/.exec(String(expected['error']));
    if (varsError !== null) {
      // Attune's message also names the var and its template between st2's prefix and jinja2's reason.
      expect(String(got['error'])).toMatch(/^Failed initializing ``vars`` in chain\.\. Failed rendering value for var "\w+" \(template string=.*\): /);
      expect(String(got['error']).endsWith(varsError[1] as string)).toBe(true);
      delete expected['error'];
      delete got['error'];
    }
    expect(got).toEqual(expected);
  });
});
