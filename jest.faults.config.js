/**
 * Slow fault tests (`npm run test:faults`): kill -9 of the server under load, PostgreSQL restarted under load.
 * One worker: the PostgreSQL restart would break any other test using the server at the same time.
 * The quick fault tests (test/faults/*.test.ts) run in `npm test`.
 */
const base = require('./jest.config.js').projects[0];

module.exports = {
  displayName: 'faults',
  testEnvironment: 'node',
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  testMatch: ['<rootDir>/test/faults/**/*.faults.ts'],
  maxWorkers: 1,
  testTimeout: 240_000,
};
