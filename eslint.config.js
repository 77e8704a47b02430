import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const EXPORT_ALL = { selector: 'ExportAllDeclaration', message: 'Export by name, never `export *`.' };

// ---------------------------------------------------------------------------------------------
// Boundaries between the project's parts (README "Layout"). Imports are relative, so a top-level
// folder is matched as a run of `../` followed by its name; no folder below the top level is
// named like one of these (test/ aside, which no rule restricts).

/** A regex source matching a relative import of top-level folder `name`, except its subfolders `except`. */
const folder = (name, ...except) => `^(?:\\.\\./)+${name}/${except.length > 0 ? `(?!(?:${except.join('|')})/)` : ''}`;
const CDK = '^(?:aws-cdk-lib|constructs|aws-cdk)(?:/|$)|^@aws-cdk/';

const WHY = {
  engineBelow:
    'engine/ is the domain every other part builds on, so it imports none of them (functions/, worker-host/, cli/, infra/, localstack/, bench/, test/): move the shared code into engine/, or have the caller pass it in.',
  runtimesMeetInEngine:
    'functions/ (Lambda handlers) and worker-host/ (the worker) meet only in engine/: neither imports the other. Move what both need into engine/.',
  runtimeNotClient: 'functions/ and worker-host/ are what the attune command talks to; they never import cli/.',
  runtimeNotInfra:
    'infra/ (the CDK app) describes the deployment; runtime code never imports it. Names and env vars shared with infra/ live in engine/contract.',
  runtimeNotEmulator: 'localstack/ is the local AWS emulator for attune dev (cli/dev/) and tests; runtime code never imports it.',
  notTooling: 'bench/ and test/ use the product; the product never imports them.',
  cliIsClient:
    'cli/ is a client of the HTTP API: it imports engine/ (engine/wire is the API contract) and its own files only. Wiring functions/, worker-host/ and localstack/ together is the job of cli/dev/, the attune dev composition root.',
  devRootInfra: 'cli/dev/ (attune dev) applies the data stack locally through infra/local only; the rest of infra/ is the CDK deployment.',
  emulatorAlone:
    'localstack/ is the emulator only (install, start/stop, health, paths, processes) and knows nothing of the engine; what runs the engine on it is cli/dev/.',
  infraReadsContract:
    'infra/ reads the runtime through engine/contract only (resource names, env vars, tables), never retyping them, and derives its errors from engine/errors; move a name infra/ needs into engine/contract. Lambda entry points and the worker image are file paths, not imports.',
  noCdk:
    'aws-cdk-lib, constructs and aws-cdk are devDependencies for infra/ and tests: runtime folders (engine, functions, worker-host, cli, localstack) never import them, so the worker image (npm ci --omit=dev) and the Lambda bundles carry no CDK.',
};

const ban = (regex, message) => ({ regex, message });
const TOOLING = [ban(folder('bench'), WHY.notTooling), ban(folder('test'), WHY.notTooling)];
const NO_CDK = ban(CDK, WHY.noCdk);

/** Each part's files and the imports they may not make. */
const BOUNDARIES = [
  {
    name: 'engine',
    files: ['engine/**'],
    bans: ['functions', 'worker-host', 'cli', 'infra', 'localstack'].map((f) => ban(folder(f), WHY.engineBelow)).concat(TOOLING, NO_CDK),
  },
  ...[
    ['functions', 'worker-host'],
    ['worker-host', 'functions'],
  ].map(([self, other]) => ({
    name: self,
    files: [`${self}/**`],
    bans: [
      ban(folder(other), WHY.runtimesMeetInEngine),
      ban(folder('cli'), WHY.runtimeNotClient),
      ban(folder('infra'), WHY.runtimeNotInfra),
      ban(folder('localstack'), WHY.runtimeNotEmulator),
      ...TOOLING,
      NO_CDK,
    ],
  })),
  {
    name: 'cli',
    files: ['cli/**'],
    ignores: ['cli/dev/**'],
    bans: ['functions', 'worker-host', 'localstack', 'infra'].map((f) => ban(folder(f), WHY.cliIsClient)).concat(TOOLING, NO_CDK),
  },
  {
    name: 'cli/dev',
    files: ['cli/dev/**'],
    bans: [ban(folder('infra', 'local'), WHY.devRootInfra), ...TOOLING, NO_CDK],
  },
  {
    name: 'localstack',
    files: ['localstack/**'],
    bans: ['engine', 'functions', 'worker-host', 'cli', 'infra'].map((f) => ban(folder(f), WHY.emulatorAlone)).concat(TOOLING, NO_CDK),
  },
  {
    name: 'infra',
    files: ['infra/**'],
    bans: [ban(folder('engine', 'contract', 'errors'), WHY.infraReadsContract)]
      .concat(['functions', 'worker-host', 'cli', 'localstack'].map((f) => ban(folder(f), WHY.infraReadsContract)))
      .concat(TOOLING),
  },
];

/**
 * esquery (no-restricted-syntax) takes a regex between slashes with no slash inside: `\x2F` is one.
 * Covers what no-restricted-imports does not see: `import('…')` and `typeof import('…')` types.
 */
const selectorRegex = (regex) => `/${regex.replaceAll('/', '\\x2F')}/`;
const dynamicImportBans = (bans) =>
  bans.flatMap(({ regex, message }) => [
    { selector: `ImportExpression[source.value=${selectorRegex(regex)}]`, message },
    { selector: `TSImportType[source.value=${selectorRegex(regex)}]`, message },
  ]);

const boundaryConfigs = BOUNDARIES.map(({ name, files, ignores, bans }) => ({
  name: `attune/boundaries/${name}`,
  files,
  ...(ignores ? { ignores } : {}),
  rules: {
    'no-restricted-imports': ['error', { patterns: bans.map(({ regex, message }) => ({ regex, message })) }],
    'no-restricted-syntax': ['error', EXPORT_ALL, ...dynamicImportBans(bans)],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.attune/', 'cdk.out/', 'console/dist/', 'worker-host/dist/', 'test/browser/screenshots/', 'packs/**/node_modules/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', exports: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', EXPORT_ALL],
    },
  },
  ...boundaryConfigs,
  {
    // The web console runs in the browser: its globals, and it reads the engine for types only.
    name: 'attune/console',
    files: ['console/src/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', Response: 'readonly', TextDecoder: 'readonly', FormData: 'readonly', URLSearchParams: 'readonly', Intl: 'readonly', Storage: 'readonly', HTMLInputElement: 'readonly', HTMLFormElement: 'readonly', HTMLPreElement: 'readonly', Event: 'readonly' } },
  },
);
