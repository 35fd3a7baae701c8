import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read arbitrary JSON responses; `any` stays banned in src/.
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The layers: shared is the bottom (the case model both sides use), server and add-in stand on it and never on
    // each other. The compilers enforce the platform half (src/*/tsconfig.json: no DOM on the server, no Node in
    // the pane or in shared); these rules the import half.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../server/*', '../addin/*', '**/src/server/*', '**/src/addin/*'],
              message: 'src/shared imports nothing of the server or the add-in.',
            },
            {
              group: ['node:*', 'fs', 'path', 'crypto'],
              message: 'src/shared runs in the pane too: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/addin/*', '**/addin'],
              message: 'The server never imports the add-in; share through src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/addin/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/*', '**/server'],
              message: 'The add-in never imports the server; share through src/shared.',
            },
            { group: ['node:*'], message: 'The pane runs in a browser: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/addin/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Only the Office adapter may touch the Office.js global; everything else gets host functions as props.
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Use the Office adapter in src/addin/office/.' },
        { name: 'localStorage', message: 'Use src/addin/storage/ (one owner of browser storage).' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'localStorage', message: 'Use src/addin/storage/.' },
      ],
    },
  },
  {
    files: ['src/addin/office/**/*.{ts,tsx}'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['src/addin/storage/**/*.{ts,tsx}'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
);
