/**
 * The variables each kind of template in an action chain sees, built as st2's runner builds them
 * (later names win): `vars` see the parameters and the datastore; node parameters see the
 * parameters, every node's latest result by node name, the vars (published values included),
 * `__results`, the datastore, `action_context` and `config_context`; `publish` sees the same but
 * for the two contexts, with the node's own result under its name.
 */
import type { ChainState } from './state.ts';

/** What a chain's templates may read that is not stored in its state (given on start and on resume). */
export interface ChainLookups {
  /** The pack's configuration, st2's `config_context` (`{}` when the pack has none). */
  config?: Record<string, unknown>;
  /** The datastore: `st2kv.system.<key>` and, for `vars` only, `st2kv.user.<key>` (e.g. `lazyLookup` objects). */
  st2kv?: { system?: unknown; user?: unknown };
}

function datastore(lookups: ChainLookups, withUser: boolean): Record<string, unknown> {
  const st2kv = lookups.st2kv;
  if (st2kv === undefined) return {};
  const scopes: Record<string, unknown> = {};
  if (st2kv.system !== undefined) scopes['system'] = st2kv.system;
  if (withUser && st2kv.user !== undefined) scopes['user'] = st2kv.user;
  return { st2kv: scopes };
}

/** st2's `_get_rendered_vars` context: the datastore, then the chain's parameters over it. */
export function varsContext(parameters: Record<string, unknown>, lookups: ChainLookups): Record<string, unknown> {
  return { ...datastore(lookups, true), ...parameters };
}

// st2 also puts the system scope under a bare `system` beside `st2kv.system` for nodes.
function nodeDatastore(lookups: ChainLookups): Record<string, unknown> {
  const system = lookups.st2kv?.system;
  return system === undefined ? {} : { system, ...datastore(lookups, false) };
}

/** st2's `_resolve_params` context for a node's parameters. */
export function paramsContext(state: ChainState, lookups: ChainLookups): Record<string, unknown> {
  return {
    ...state.parameters,
    ...state.results,
    ...state.vars,
    __results: state.results,
    ...nodeDatastore(lookups),
    action_context: { parent: state.actionContext },
    config_context: lookups.config ?? {},
  };
}

/** st2's `_render_publish_vars` context, after `results` holds the node's result. */
export function publishContext(state: ChainState, node: string, lookups: ChainLookups): Record<string, unknown> {
  return {
    ...state.parameters,
    [node]: state.results[node],
    ...state.results,
    ...state.vars,
    __results: state.results,
    ...nodeDatastore(lookups),
  };
}
