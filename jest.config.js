/**
 * Unit tests: pure pieces, next to the code they test; no database, no Nest app.
 * test/shipping holds the checks of what ships beside the code (Dockerfile,
 * compose file, Terraform, load scripts), which parse files and start nothing.
 */
module.exports = {
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test/shipping'],
  testRegex: '\\.spec\\.ts$',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest', '^.+\\.m?js$': '<rootDir>/test/esm-to-cjs.transform.js' },
  // NestJS 12 and some of its dependencies are ES modules only: see the transform.
  transformIgnorePatterns: [],
  testEnvironment: 'node',
};
