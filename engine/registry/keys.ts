/** The kinds of registry item, each in a partition `<kind>#<ref>` of its own. */
export type Kind = 'pack' | 'action' | 'rule' | 'policy' | 'triggertype' | 'sensor';

/** The partition key of the registry item `ref` of `kind`. */
export const pk = (kind: Kind, ref: string): string => `${kind}#${ref}`;

/** The sort key of an item's definition in its partition (beside it, an action's policy copies). */
export const SK = 'meta';
