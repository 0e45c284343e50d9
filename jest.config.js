/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The durability proofs take minutes: `npm run test:chaos` runs them (CI runs both).
  testPathIgnorePatterns: process.env.TEST_CHAOS ? ['/node_modules/'] : ['/node_modules/', '/test/chaos/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // Real servers start per file; the workflows are bundled once for the run (WORKFLOW_BUNDLE_PATH).
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
  // A fresh process per test file: the Temporal SDK's native runtime outlives
  // jest's per-file module reset, and a runtime shutting down after one file broke
  // the next file's worker ("Channel has been shut down"). Recycling the worker
  // process after every file (any heap is over 1 MB) keeps files independent.
  workerIdleMemoryLimit: '1MB',
  // Jest cannot instrument bundled workflow code (sdk-typescript #1144).
  coveragePathIgnorePatterns: ['/node_modules/', '/src/workflows/'],
};
