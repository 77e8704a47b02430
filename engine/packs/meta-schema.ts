import { z } from 'zod';

/** A pack ref: lower case letters, digits and underscores (st2's rule). */
export const PACK_REF_PATTERN = /^[a-z0-9_]+$/;
/**
 * An action, rule or policy name. Dots are allowed, as st2 allows them (`chat.postMessage`,
 * `my_action.concurrency`): a ref `<pack>.<name>` splits at its first dot, and a pack ref has none.
 */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** A resource ref `<pack>.<name>`. */
export const RESOURCE_REF_PATTERN = /^[a-z0-9_]+\.[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** `name:` of an action, rule or policy. */
export const ResourceNameSchema = z
  .string()
  .regex(RESOURCE_NAME_PATTERN, 'expected letters, digits, "_", "-" or "." (not first)');

/** A reference to an action: `<pack>.<name>`. */
export const ResourceRefSchema = z.string().regex(RESOURCE_REF_PATTERN, 'expected a ref <pack>.<name>, e.g. core.local');

/** A map that YAML may leave empty (`parameters:` with nothing under it reads as null): null → {}. */
export const optionalMapOf = <T extends z.ZodType>(value: T) =>
  z
    .record(z.string(), value)
    .nullish()
    .transform((m) => m ?? {});

/** `pack:` in a resource file: optional, but when present it must be the enclosing pack's ref. */
export const OptionalPackSchema = z.string().optional();

/**
 * `pack.yaml`, StackStorm's fields plus Attune's `python` (the interpreter version the pack's
 * environment is built with). Unknown keys are kept: st2 packs carry extra metadata.
 */
export const PackMetaSchema = z
  .looseObject({
    ref: z.string().optional(),
    name: z.string().min(1),
    description: z.string(),
    version: z.string().min(1),
    author: z.string(),
    email: z.string().optional(),
    python_versions: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
    python: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, 'expected a version like "3.11"')
      .optional(),
  })
  .superRefine(
    (meta, ctx) => {
      // Runs even when other fields failed (see `when`), so the input may be of any shape.
      const ref: unknown = meta.ref ?? meta.name;
      if (typeof ref !== 'string' || PACK_REF_PATTERN.test(ref)) return;
      const field = meta.ref === undefined ? 'name' : 'ref';
      const why = meta.ref === undefined ? ' (the ref defaults to the name; set ref: explicitly)' : '';
      ctx.addIssue({ code: 'custom', path: [field], message: `"${ref}" is not a valid pack ref: expected lower case letters, digits and "_"${why}` });
    },
    { when: () => true },
  )
  .transform((meta) => ({ ...meta, ref: meta.ref ?? meta.name }));

/** A validated `pack.yaml`; `ref` is always set. */
export type PackMeta = z.output<typeof PackMetaSchema>;
