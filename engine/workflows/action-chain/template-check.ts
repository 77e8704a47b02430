import { TemplateError, checkTemplate } from '../../templates/index.ts';

/**
 * Warnings for templates that do not parse in `mapping` (vars, a node's parameters or publish),
 * at `path.key`. st2 only finds these when it renders them, failing the chain there; a chain
 * whose broken node never runs still works, so they are warnings, not refusals. A list or mapping
 * is checked as the JSON text st2 renders.
 */
export function templateWarnings(mapping: Readonly<Record<string, unknown>> | null, path: string): string[] {
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(mapping ?? {})) {
    const text = typeof value === 'string' ? value : value !== null && typeof value === 'object' ? JSON.stringify(value) : null;
    if (text === null) continue;
    try {
      checkTemplate(text, { label: `${path}.${key}` });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      warnings.push(`${error.message}; st2 fails the chain when it renders this`);
    }
  }
  return warnings;
}
