export { CastFailure, castValue, parseYaml, validateParameters, ParameterValidationError } from '../../../engine/packs/index.ts';
export { NONE_MAGIC_VALUE as NONE_MAGIC, templateVariables } from '../../../engine/templates/index.ts';
