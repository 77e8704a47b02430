import type { ActionDefinition } from './action-schema.ts';
import type { ConfigSchema } from './config-schema.ts';
import type { PackMeta } from './meta-schema.ts';
import type { PolicyDefinition } from './policy-schema.ts';
import type { RuleDefinition } from './rule-schema.ts';
import type { Sensor } from './sensors.ts';
import type { TriggerTypeDefinition } from './trigger-type-schema.ts';

/** Where a resource came from and how it is named once loaded. */
export interface ResourceOrigin {
  /** `<pack>.<name>`. */
  ref: string;
  /** The enclosing pack's ref. */
  pack: string;
  /** The file it was read from, relative to the pack root (`actions/echo.yaml`). */
  file: string;
}

/**
 * A loaded action. `entryPoint` is the script's path relative to the pack root
 * (`actions/greet.py`; st2's `entry_point` is relative to `actions/`), set when `entry_point` is.
 */
export type Action = ActionDefinition & ResourceOrigin & {
  entryPoint?: string;
  /** A workflow action's definition (orquesta, action-chain): the entry point's text, checked at load. */
  workflow?: string;
};

/** A loaded rule. */
export type Rule = RuleDefinition & ResourceOrigin;

/** A loaded policy; `resource_ref` names the action it governs. */
export type Policy = PolicyDefinition & ResourceOrigin;

/** A loaded trigger type (`triggers/*.yaml`, or a sensor's `trigger_types:` entry). */
export type TriggerType = TriggerTypeDefinition & ResourceOrigin;

/** The dependency files of a pack, verbatim, when present. */
export interface PackFiles {
  requirementsTxt?: string;
  packageJson?: string;
  /** package-lock.json, read only beside a package.json. */
  packageLock?: string;
}

/** A loaded, validated pack with every ref resolved. */
export interface Pack {
  /** The pack's directory (absolute). */
  dir: string;
  meta: PackMeta;
  actions: Action[];
  rules: Rule[];
  policies: Policy[];
  /** The trigger types the pack defines (none when it has no triggers/ and no sensor declares any). */
  triggerTypes: TriggerType[];
  /** The sensors the pack declares (`sensors/*.yaml`). */
  sensors: Sensor[];
  files: PackFiles;
  /** `config.schema.yaml`, when the pack has one. */
  configSchema?: ConfigSchema;
}
