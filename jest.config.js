/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // Real servers start per file; workflows bundle once per worker.
  testTimeout: 120000,
  maxWorkers: 2,
  // Jest cannot instrument bundled workflow code (sdk-typescript #1144).
  coveragePathIgnorePatterns: ['/node_modules/', '/src/workflows/'],
};
