import { AttuneError } from '../../engine/errors/index.ts';
/**
 * Resolves the CloudFormation intrinsics a synthesized data stack uses (Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub with plain names) against resources already created.
 */

export interface ResolvedResource {
  ref: string;
  attributes: Record<string, string>;
}

export interface ResolveContext {
  resources: ReadonlyMap<string, ResolvedResource>;
  pseudo: Record<string, string>;
}

/** Thrown when a value refers to a resource that does not exist yet: the caller retries later. */
export class NotYetCreated extends AttuneError {
  override name = 'NotYetCreated';
  readonly logicalId: string;
  constructor(logicalId: string) {
    super(`resource ${logicalId} is not created yet`);
    this.logicalId = logicalId;
  }
}

export class UnsupportedIntrinsic extends AttuneError {
  override name = 'UnsupportedIntrinsic';
}

function lookup(ctx: ResolveContext, logicalId: string): ResolvedResource {
  const found = ctx.resources.get(logicalId);
  if (!found) throw new NotYetCreated(logicalId);
  return found;
}

function ref(ctx: ResolveContext, name: string): string {
  if (name.startsWith('AWS::')) {
    const value = ctx.pseudo[name];
    if (value === undefined) throw new UnsupportedIntrinsic(`unsupported pseudo parameter ${name}`);
    return value;
  }
  return lookup(ctx, name).ref;
}

function getAtt(ctx: ResolveContext, logicalId: string, attribute: string): string {
  const value = lookup(ctx, logicalId).attributes[attribute];
  if (value === undefined) throw new UnsupportedIntrinsic(`no attribute ${attribute} on ${logicalId}`);
  return value;
}

function sub(ctx: ResolveContext, template: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => {
    const [id, attr] = expr.split('.', 2) as [string, string | undefined];
    return attr === undefined ? ref(ctx, id) : getAtt(ctx, id, attr);
  });
}

/** Returns `value` with every intrinsic replaced by its resolved string. */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, ctx));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, unknown];
    if (key === 'Ref') return ref(ctx, String(arg));
    if (key === 'Fn::GetAtt') {
      const [id, attr] = (Array.isArray(arg) ? arg : String(arg).split('.')) as [string, string];
      return getAtt(ctx, id, attr);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map((p) => String(resolveValue(p, ctx))).join(sep);
    }
    if (key === 'Fn::Sub' && typeof arg === 'string') return sub(ctx, arg);
    if (key.startsWith('Fn::')) throw new UnsupportedIntrinsic(`unsupported intrinsic ${key}`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveValue(v, ctx)]));
}
