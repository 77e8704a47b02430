export {
  LIST_PAGE_SIZE,
  MIN_ENCODED_FORM_LENGTH,
  MIN_MASKED_SECRET_LENGTH,
  SECRET_CACHE_TTL_MS,
  SECRET_ID_MAX_LENGTH,
  SECRET_NAME_PATTERN,
  SECRET_VALUE_MAX_BYTES,
} from './defaults.ts';
export {
  InvalidSecretName,
  InvalidSecretValue,
  SecretStoreFailed,
  SecretUnavailable,
  SecretsError,
  describeAwsError,
} from './errors.ts';
export type { SecretUnavailableReason } from './errors.ts';
export { Masker, secretValuesOf } from './masker.ts';
export type { MaskerOptions, StreamMasker } from './masker.ts';
export { secretForms } from './secret-forms.ts';
export { isSecretArn, secretIdFor, secretNameProblem, validateSecretName, validateSecretPrefix } from './secret-name.ts';
export { SecretStore } from './secret-store.ts';
export type { PutSecretResult, SecretStoreOptions } from './secret-store.ts';
export { resealParameters, sealParameterValues, unsealParameters } from './sealed-parameters.ts';
export { ENVELOPE_PREFIX, EnvelopeInvalid, LEGACY_ENVELOPE_PREFIX, envelopeKeyId, isEnvelope, keyIdOf, openEnvelope, sealEnvelope } from './envelope.ts';
export { LEGACY_KEY_LABEL, SECRET_LABELS_MAX, SealingKeyRotationRefused, currentSealingKey, openSealed, rotateSealingKey, sealingKeyLabel } from './sealing-key.ts';
export type { SealingKeyRotation, SealingKeySource } from './sealing-key.ts';
export { webhookSecretLookup } from './webhook-secrets.ts';
// Defined in engine/contract (the deployment grants on them); offered here beside the code using them.
export { SEALING_KEY_SECRET, WEBHOOK_SECRET_PREFIX, sealedParametersName, webhookSecretName } from '../contract/index.ts';
