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
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
      testMatch: ['<rootDir>/test/{shared,server,e2e,faults}/**/*.test.ts'],
      // A few dependencies ship ESM only (typebox: .mjs files); let swc turn them into CommonJS for jest.
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
