/**
 * st2 lets a chain loop for ever (`on-success` back to an earlier node); a chain that runs this many
 * nodes is stopped and failed, because no real chain needs more and an endless loop would run
 * actions until someone noticed.
 */
export const MAX_CHAIN_NODE_RUNS = 1000;
