import { z } from 'zod';
import { resolveEntryPoint } from './entry-point.ts';
import type { PackIssue } from './errors.ts';
import { OptionalPackSchema, ResourceNameSchema } from './meta-schema.ts';
import { listPackFiles } from './pack-files.ts';
import type { ResourceOrigin } from './types.ts';
import { readYaml } from './yaml-file.ts';
import { toPackIssues } from './zod-issues.ts';

/** A Python class name: st2 looks the class up by this name in the entry file. */
const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `sensors/<name>.yaml`, st2's SensorTypeAPI fields: class_name and entry_point (relative to the
 * file's `sensors/` directory) are required; name defaults to class_name; poll_interval (seconds)
 * is handed to a PollingSensor; enabled defaults to true. Each `trigger_types:` entry is a trigger
 * type definition, read by `loadTriggerTypes`; here only its name is kept.
 */
export const SensorSchema = z.looseObject({
  class_name: z.string().regex(PYTHON_IDENTIFIER, 'expected a Python class name (letters, digits, "_"; not a digit first)'),
  entry_point: z.string().min(1, 'expected the sensor module, relative to sensors/ (e.g. my_sensor.py)'),
  name: ResourceNameSchema.nullish(),
  pack: OptionalPackSchema,
  description: z.string().nullish(),
  enabled: z.boolean().nullish(),
  poll_interval: z.number().positive('expected a number of seconds above 0').max(86_400, 'expected at most 86400 seconds (a day)').nullish(),
  trigger_types: z.array(z.looseObject({ name: z.unknown() })).nullish(),
});

/**
 * A loaded sensor. `ref` is `<pack>.<name>` (name defaults to class_name, as in st2);
 * `entryPoint` is the module's path relative to the pack root (`sensors/my_sensor.py`) and
 * `triggerTypes` the refs of the trigger types it declares.
 */
export interface Sensor extends ResourceOrigin {
  name: string;
  class_name: string;
  entry_point: string;
  entryPoint: string;
  description: string;
  enabled: boolean;
  /** Seconds between polls of a PollingSensor; absent, the class's own default (st2: 5). */
  poll_interval?: number;
  triggerTypes: string[];
}

const YAML_FILE = /\.ya?ml$/;

/**
 * The sensors a pack declares, one per `sensors/*.yaml`, as st2 registers them. The entry point
 * must be a `.py` file inside the pack; whether the class exists is known only when the sensor
 * starts (the module is never imported here). Problems go to `issues`, each naming its file and field.
 */
export async function loadSensors(root: string, packRef: string, issues: PackIssue[]): Promise<Sensor[]> {
  const listed = await listPackFiles(root, 'sensors');
  if (!listed.ok) {
    issues.push({ file: 'sensors', message: listed.reason });
    return [];
  }
  const sensors: Sensor[] = [];
  const seen = new Map<string, string>();
  for (const file of listed.names.filter((n) => YAML_FILE.test(n)).sort().map((n) => `sensors/${n}`)) {
    const read = await readYaml(root, file);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    const parsed = SensorSchema.safeParse(read.data, { reportInput: true });
    if (!parsed.success) {
      issues.push(...toPackIssues(file, parsed.error));
      continue;
    }
    const value = parsed.data;
    const name = value.name ?? value.class_name;
    const ref = `${packRef}.${name}`;
    if (value.pack != null && value.pack !== packRef) {
      issues.push({ file, field: 'pack', message: `expected ${packRef} (the pack this file is in), received ${JSON.stringify(value.pack)}` });
    }
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({ file, field: 'name', message: `sensor ${ref} is already defined in ${first}` });
      continue;
    }
    seen.set(name, file);
    if (!value.entry_point.endsWith('.py')) {
      issues.push({ file, field: 'entry_point', message: `expected a Python module (.py), received ${JSON.stringify(value.entry_point)}` });
      continue;
    }
    const resolved = await resolveEntryPoint(root, value.entry_point, 'sensors');
    if (!resolved.ok) {
      issues.push({ file, field: 'entry_point', message: resolved.message });
      continue;
    }
    sensors.push({
      ref,
      pack: packRef,
      file,
      name,
      class_name: value.class_name,
      entry_point: value.entry_point,
      entryPoint: resolved.path,
      description: value.description ?? '',
      enabled: value.enabled !== false,
      ...(value.poll_interval == null ? {} : { poll_interval: value.poll_interval }),
      triggerTypes: (value.trigger_types ?? []).flatMap((t) => (typeof t.name === 'string' ? [`${packRef}.${t.name}`] : [])),
    });
  }
  return sensors;
}
