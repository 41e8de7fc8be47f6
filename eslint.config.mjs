import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Electron stays at the edge: only these files may import it (DEVELOPERS.md, STYLE.md).
const ELECTRON_ALLOWED = ['src/main/index.ts', 'src/main/ipc.ts', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist-cli', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'electron may be imported only in src/main/index.ts, src/main/ipc.ts and src/preload.',
            },
          ],
        },
      ],
    },
  },
  { files: ELECTRON_ALLOWED, rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the renderer talks to main only through window.yunke' }],
          patterns: [
            {
              group: ['node:*', 'better-sqlite3', 'kysely'],
              message: 'no Node or store access from the renderer',
            },
          ],
        },
      ],
    },
  },
  {
    // rules/ holds the pure rules only (issue 13): no store, no SQL, no threads, no files. The engine
    // (src/main/engine) loads the store, runs them and writes their results.
    files: ['src/main/rules/**/*.ts'],
    ignores: ['src/main/rules/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the rules are pure' }],
          patterns: [
            {
              group: ['node:*', 'better-sqlite3', 'pg', 'pg-*', 'kysely', '../*', '!../rules/*'],
              message: 'rules/ is the pure rules: the store, SQL and threads belong to src/main/engine',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
