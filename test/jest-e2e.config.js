/** E2E tests: the real app over HTTP on a real database (TEST_DB=sqlite|postgres). */
module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/test/e2e'],
  testRegex: '\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest', '^.+\\.m?js$': '<rootDir>/test/esm-to-cjs.transform.js' },
  // NestJS 12 and some of its dependencies are ES modules only: see the transform.
  transformIgnorePatterns: [],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 1,
};
