import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Import patterns of our own layers above db/ and external/, plus any named extras. */
const layersAbove = (extra) =>
  ['workflows', 'activities', 'api', 'ops', 'worker', 'dev', ...extra].flatMap((layer) => [`**/${layer}`, `**/${layer}/**`, `**/${layer}.ts`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**', 'eslint.config.mjs', 'jest.config.js', 'scripts/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // Forgetting to await an activity, a timer or a DB write is a silent bug.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node APIs, no console; only `import type` from activities.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code must be deterministic: no Node APIs.' })),
          patterns: [{ group: ['**/activities', '**/activities/*', '**/db/*', '**/external/*', '**/api/*'], allowTypeImports: true, message: 'Workflows may only import types from side-effecting modules.' }],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The layers point down: domain (what an order is, its rules) imports nothing of ours
    // above it; db and external (systems we do not own) may use domain, never the
    // workflows, activities, API or ops that use them. Type imports count too: a type
    // from above is how the contracts once ended up inside workflows/.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: layersAbove(['db', 'external', 'feeds', 'temporal', 'config', 'log']), message: 'domain/ sits below every layer: it may import only domain/ and libraries.' }] },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts', 'src/external/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: layersAbove([]), message: 'db/ and external/ sit below the workflows, activities, API and ops: move the shared shape to domain/.' }] }],
    },
  },
);
