import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'scripts/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Workflow code is replayed: it must stay deterministic and free of I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code may not import Node built-ins.' },
            { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'] },
            { group: ['@aws-sdk/*', 'hono', '@hono/*', 'pino'] },
            { group: ['../activities/*', '../src/stack/*', '../src/http/*'] },
          ],
          paths: ['fs', 'http', 'https', 'crypto', 'path', 'os', 'child_process', 'net'],
        },
      ],
    },
  },
);
