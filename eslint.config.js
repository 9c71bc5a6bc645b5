// One flat config for the whole workspace. Import boundaries follow DESIGN.md's arrows:
// web → api (types only) → domain; api → db, providers, domain; providers → domain; bff → api.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const forbid = (...packages) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...packages.map((name) => ({
          group: [name, `${name}/*`],
          message: 'This import crosses a boundary drawn in DESIGN.md.',
        })),
        { group: ['@paydesk/*/src/*'], message: 'Import a package through its exports map.' },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.data/**',
      '**/migrations/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '.turbo/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment in the app’s env.ts only.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Reading the environment is allowed where it is parsed, and in tooling.
    files: [
      '**/env.ts',
      '**/*.config.ts',
      '**/*.config.js',
      '**/build.mjs',
      '**/scripts/**',
      'e2e/**',
      '**/bench/**',
      'packages/db/src/testing.ts',
      '**/*.bench.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['packages/domain/**'],
    rules: forbid(
      '@paydesk/db',
      '@paydesk/api',
      '@paydesk/providers',
      '@paydesk/bff',
      '@paydesk/web',
      '@paydesk/sandbox',
    ),
  },
  {
    files: ['packages/providers/**'],
    rules: forbid('@paydesk/db', '@paydesk/api', '@paydesk/bff', '@paydesk/web', '@paydesk/sandbox'),
  },
  {
    files: ['packages/db/**'],
    rules: forbid('@paydesk/api', '@paydesk/providers', '@paydesk/bff', '@paydesk/web', '@paydesk/sandbox'),
  },
  { files: ['packages/api/**'], rules: forbid('@paydesk/bff', '@paydesk/web', '@paydesk/sandbox') },
  // Tests (and their support folder) talk to the provider sandbox over real HTTP, as the product does.
  {
    files: ['packages/api/**/*.test.ts', 'packages/api/src/test/**'],
    rules: forbid('@paydesk/bff', '@paydesk/web'),
  },
  {
    files: ['apps/sandbox/**'],
    rules: forbid('@paydesk/db', '@paydesk/api', '@paydesk/bff', '@paydesk/web'),
  },
  { files: ['apps/bff/**'], rules: forbid('@paydesk/web', '@paydesk/providers') },
  {
    files: ['apps/web/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@paydesk/api',
              allowTypeImports: true,
              message: 'The SPA imports only types from the API.',
            },
          ],
          patterns: [
            {
              group: [
                '@paydesk/db',
                '@paydesk/db/*',
                '@paydesk/providers',
                '@paydesk/providers/*',
                '@paydesk/sandbox',
                '@paydesk/bff',
              ],
              message: 'The SPA talks to the BFF over tRPC only.',
            },
            {
              group: ['@paydesk/api/*'],
              allowTypeImports: true,
              message: 'The SPA imports only types from the API.',
            },
          ],
        },
      ],
    },
  },
);
