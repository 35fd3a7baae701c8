/** Two projects: node (server, shared, CLI) and jsdom (task pane components and Office adapter). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
module.exports = {
  // Jest's 5 s default is for unit tests; most suites here start a server on a fresh PostgreSQL database (about 20
  // migrations) in a hook, which on a busy two-core machine took longer than 5 s and failed nothing but the clock.
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      testMatch: ['<rootDir>/test/{shared,server,e2e,faults}/**/*.test.ts'],
      // A few dependencies ship ESM only (typebox 1.x as .mjs); let swc turn them into CommonJS for jest.
      transformIgnorePatterns: ['^(?!.*/node_modules/(content-disposition|typebox)/).*/node_modules/'],
    },
    {
      displayName: 'jsdom',
      testEnvironment: 'jsdom',
      transform: { '^.+\\.(t|j)sx?$': swc },
      testMatch: ['<rootDir>/test/addin/**/*.test.{ts,tsx}'],
      setupFilesAfterEnv: ['<rootDir>/test/addin/setup.ts'],
    },
  ],
};
