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
  prettier,
);
