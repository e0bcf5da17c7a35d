/** E2E tests: the real app over HTTP on a real database (TEST_DB=sqlite|postgres). */

// The admin UI's browser tests drive the page against the app on SQLite, the
// embedded default (the database is the API's business, tested below it), so
// they run in the SQLite pass only, not again on PostgreSQL or the parse worker.
const browserPass = (process.env.TEST_DB ?? 'sqlite') === 'sqlite' && process.env.TEST_PARSE_WORKER === undefined;

module.exports = {
  rootDir: '..',
  roots: ['<rootDir>/test/e2e'],
  testRegex: '\\.e2e-spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', ...(browserPass ? [] : ['/test/e2e/admin-ui[^/]*\\.e2e-spec\\.ts$'])],
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest', '^.+\\.m?js$': '<rootDir>/test/esm-to-cjs.transform.js' },
  // NestJS 12 and some of its dependencies are ES modules only: see the transform.
  transformIgnorePatterns: [],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 1,
};
