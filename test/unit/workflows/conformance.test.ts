import { describe, expect, it } from 'vitest';
import { inspectWorkflow, parseWorkflowSpec } from '../../../engine/workflows/index.ts';
import { fixtureNames, readFixture, replay } from './replay.ts';

// Goldens recorded from orquesta 1.2.0 by test/conformance/record-orquesta.py.
const names = fixtureNames();

/** An expression error's message names the expression as Orquesta does; its wording after that is the evaluator's own. */
function comparableErrors(errors: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return errors.map((error) => {
    const message = String(error.message);
    const expression = /expression '(.*?)'/.exec(message);
    return { ...error, message: expression === null ? message : `${message.slice(0, message.indexOf(':'))} in ${expression[1]}` };
  });
}

describe('Orquesta conformance: the conductor replays orquesta 1.2.0 conducting', () => {
  it('has at least 25 workflow fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of names) {
    const { yaml, script, golden } = readFixture(name);
    if (golden.status === 'invalid') {
      it(`reports the problems orquesta reports for ${name}`, () => {
        // Prepare
        const expected = Object.entries(golden.inspection as Record<string, { spec_path: string; expression: string | null }[]>)
          .flatMap(([category, entries]) => entries.map((e) => `${category} ${e.spec_path} ${e.expression ?? ''}`)).sort();

        // Act
        const problems = inspectWorkflow(parseWorkflowSpec(yaml));

        // Assess
        expect(problems.map((p) => `${p.category} ${p.path} ${p.expression ?? ''}`).sort()).toEqual(expected);
      });
      continue;
    }
    it(`schedules, publishes and ends ${name} as orquesta does`, () => {
      // Prepare
      const spec = parseWorkflowSpec(yaml);

      // Act
      const result = replay(spec, script);

      // Assess
      expect(inspectWorkflow(spec)).toEqual([]);
      expect(result.scheduled).toEqual(golden.scheduled);
      expect(result.status).toBe(golden.status);
      expect(result.output).toEqual(golden.output);
      expect(result.context).toEqual(golden.context);
      expect(comparableErrors(result.errors as unknown as Record<string, unknown>[])).toEqual(comparableErrors(golden.errors as Record<string, unknown>[]));
    });

    it(`gives the same answers for ${name} when its state goes through JSON after every event`, () => {
      // Prepare
      const spec = parseWorkflowSpec(yaml);

      // Act
      const straight = replay(spec, script);
      const resumed = replay(spec, script, true);

      // Assess
      expect(resumed.scheduled).toEqual(straight.scheduled);
      expect(resumed.status).toBe(straight.status);
      expect(resumed.output).toEqual(straight.output);
      expect(resumed.errors).toEqual(straight.errors);
    });
  }
});
