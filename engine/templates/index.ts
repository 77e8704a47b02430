export { FILTER_NAMES, checkTemplate, isTemplate, lazyLookup, renderString, renderTemplate, renderValue } from './render.ts';
export type { TemplateContext, TemplateOptions } from './render.ts';
export { TemplateError, TemplateLimitError, TemplateRenderError, TemplateSyntaxError } from './errors.ts';
export type { TemplatePosition } from './errors.ts';
export { templateVariables } from './names.ts';
export { NONE_MAGIC_VALUE, ST2_WORKFLOW_FUNCTIONS, callSt2Function } from './st2/index.ts';
export type { RenderHooks, RenderLimits, UndefinedMode } from './jinja/index.ts';
