import type { ChainNode } from './spec.ts';

/** The chain's notification settings that decide a node's: st2's runner parameter `skip_notify` and the chain execution's own `notify`. */
export interface ChainNotifySettings {
  /** Node names whose executions get no notification. */
  skipNotify?: readonly string[];
  /** The chain execution's notify settings, which a node without its own inherits. */
  chainNotify?: Record<string, unknown> | null;
}

/**
 * The notify settings of a node's execution, as st2's `_get_notify` picks them: none for a node in
 * `skip_notify`, else the node's own `notify`, else the chain execution's.
 *
 * @example
 * nodeNotify(spec.nodes[0], { skipNotify: ['noisy'], chainNotify: { 'on-complete': { routes: ['slack'] } } })
 */
export function nodeNotify(node: ChainNode, settings: ChainNotifySettings = {}): Record<string, unknown> | null {
  if (settings.skipNotify?.includes(node.name) === true) return null;
  if (node.notify !== null && Object.keys(node.notify).length > 0) return node.notify;
  return settings.chainNotify ?? null;
}
