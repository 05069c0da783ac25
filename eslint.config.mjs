import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '.build/**', 'node_modules/**', 'dashboards/generated/**', 'eslint.config.mjs', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config only.' },
      ],
    },
  },
  {
    files: ['src/config/**', 'src/main.ts', 'test/**', 'bench/**', 'scenarios/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The analysis core is pure: no framework, storage, queue or network code.
    files: ['src/analysis/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'typeorm-*', 'pg', 'bullmq', 'ioredis', '@electric-sql/*'], message: 'src/analysis is pure.' },
            { group: ['node:http', 'node:https', 'node:net', 'node:fs', 'node:fs/*', 'http', 'https', 'net', 'fs'], message: 'src/analysis is pure.' },
            { group: ['../ingest/*', '../alerts/*', '../notify/*', '../gate/*', '../storage/*', '../rollouts/*.service*', '../rollouts/*.controller*', '../rollouts/*.entity*'], message: 'src/analysis depends only on types and pure code.' },
          ],
        },
      ],
    },
  },
  {
    // The rollout page's browser script: plain JS served as is (no build step), not in tsconfig.
    files: ['src/web/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false },
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', uPlot: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.test.ts', 'test/**', 'bench/**', 'scenarios/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
