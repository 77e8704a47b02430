import { AttuneError } from '../errors/index.ts';

/** Where in a template a problem lies; 1-based. */
export interface TemplatePosition {
  line: number;
  column: number;
}

function where(label: string | undefined, position: TemplatePosition | undefined): string {
  const at = position ? ` at line ${position.line}, column ${position.column}` : '';
  return `${label ? `${label}: ` : ''}template error${at}`;
}

/**
 * A template that cannot render. `field` is the caller's label (`parameter "cmd"` names the
 * parameter it belongs to); `reason` is jinja2's message (`'dict object' has no attribute 'x'`).
 */
export class TemplateError extends AttuneError {
  override name = 'TemplateError';
  readonly label: string | undefined;
  readonly position: TemplatePosition | undefined;
  readonly reason: string;

  constructor(reason: string, options: { label?: string | undefined; position?: TemplatePosition | undefined; code: string; cause?: unknown }) {
    super(`${where(options.label, options.position)}: ${reason}`, {
      code: options.code,
      status: 400,
      ...(options.label !== undefined && { field: options.label }),
      cause: options.cause,
    });
    this.label = options.label;
    this.position = options.position;
    this.reason = reason;
  }
}

/** The template does not parse, or names a filter or test that does not exist. */
export class TemplateSyntaxError extends TemplateError {
  override name = 'TemplateSyntaxError';
  constructor(reason: string, options: { label?: string | undefined; position?: TemplatePosition | undefined; cause?: unknown }) {
    super(reason, { ...options, code: 'template_syntax' });
  }
}

/** The template parsed but failed while rendering; `pythonType` is jinja2's exception (UndefinedError, ...). */
export class TemplateRenderError extends TemplateError {
  override name = 'TemplateRenderError';
  readonly pythonType: string;
  constructor(reason: string, options: { label?: string | undefined; position?: TemplatePosition | undefined; pythonType: string; cause?: unknown; code?: string }) {
    super(reason, { ...options, code: options.code ?? 'template_render' });
    this.pythonType = options.pythonType;
  }
}

/** The template exceeded a rendering bound (steps, output size, range length, nesting). */
export class TemplateLimitError extends TemplateRenderError {
  override name = 'TemplateLimitError';
  constructor(reason: string, options: { label?: string | undefined; position?: TemplatePosition | undefined; cause?: unknown }) {
    super(reason, { ...options, pythonType: 'SecurityError', code: 'template_limit' });
  }
}
