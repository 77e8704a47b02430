import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../engine/packs/index.ts';
import { matchCriteria, renderParameters } from '../../../engine/rules/index.ts';

const examplesDir = fileURLToPath(new URL('../../../packs/examples', import.meta.url));

describe("the examples pack's release rule quotes webhook values into its shell command", () => {
  it.each([
    [{ repo: 'acme/api', tag: 'v1.2.0' }, 'release v1.2.0 of acme/api\n'],
    [{ repo: "x'; touch /tmp/attune-example-pwned; echo '", tag: '$(id -u)' }, "release $(id -u) of x'; touch /tmp/attune-example-pwned; echo '\n"],
  ])('renders %j into a command that prints the values as text', async (body, printed) => {
    // Prepare
    const rule = (await loadPack(examplesDir)).rules.find((r) => r.name === 'on_release');
    const context = { trigger: { headers: {}, body } };
    // Act
    const match = matchCriteria(rule?.criteria ?? {}, context, { rule: rule?.ref });
    const params = renderParameters(rule?.action.parameters ?? {}, context) as { cmd: string };
    const output = execFileSync('bash', ['-c', params.cmd]).toString('utf8');
    // Assess
    expect(match.matched).toBe(true);
    expect(rule?.action.ref).toBe('core.local');
    expect(output).toBe(printed);
  });
});
