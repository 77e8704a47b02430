/** Where in the template source an error arose; 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The template does not parse (jinja2's TemplateSyntaxError / TemplateAssertionError). */
export class JinjaSyntaxError extends Error {
  override name = 'JinjaSyntaxError';
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

/** Rendering failed; `position` is filled in by the interpreter as the error passes a node. */
export class JinjaRuntimeError extends Error {
  override name = 'JinjaRuntimeError';
  position: SourcePosition | undefined;
  /** jinja2's exception type for the same failure (UndefinedError, TypeError, ...). */
  readonly pythonType: string;
  constructor(message: string, pythonType = 'TemplateRuntimeError', options?: { cause?: unknown }) {
    super(message, options);
    this.pythonType = pythonType;
  }
}

/** A rendering budget (steps, output size, range length) ran out. */
export class JinjaLimitError extends JinjaRuntimeError {
  override name = 'JinjaLimitError';
  constructor(message: string) {
    super(message, 'SecurityError');
  }
}

/** Shorthand for a Python TypeError raised while rendering. */
export function typeError(message: string): JinjaRuntimeError {
  return new JinjaRuntimeError(message, 'TypeError');
}

/** Shorthand for a Python ValueError raised while rendering. */
export function valueError(message: string, cause?: unknown): JinjaRuntimeError {
  return new JinjaRuntimeError(message, 'ValueError', cause === undefined ? undefined : { cause });
}
