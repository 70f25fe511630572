// One flat config for the whole repository. Boundaries (ARCHITECTURE.md):
// apps/* -> packages/{protocol,devices} -> packages/core; core is pure and imports no workspace package.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const impureGlobals = [
  { name: 'setTimeout', message: 'packages/core is pure: the caller schedules work.' },
  { name: 'setInterval', message: 'packages/core is pure: the caller schedules work.' },
  { name: 'setImmediate', message: 'packages/core is pure: the caller schedules work.' },
  { name: 'queueMicrotask', message: 'packages/core is pure: the caller schedules work.' },
  { name: 'fetch', message: 'packages/core is pure: IO belongs to apps/*.' },
  { name: 'process', message: 'packages/core is pure: configuration is passed in by the caller.' },
  { name: 'console', message: 'packages/core is pure: return values, let the caller log.' },
  { name: 'crypto', message: 'packages/core is pure: the caller passes ids and randomness.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/dist-types/**', '**/coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports (default exports only in config files).',
        },
        {
          selector: 'ExportAllDeclaration',
          message: 'No barrel `export *`: import from the module that owns the name.',
        },
        { selector: 'TSEnumDeclaration', message: 'Use a `const` object of codes instead of an enum.' },
        {
          selector:
            'CallExpression[callee.object.name=/^(describe|it|test)$/][callee.property.name=/^(only|skip)$/]',
          message: 'No focused or skipped tests.',
        },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@loyalty/server*', '@loyalty/pos*', '@loyalty/cabinet*', '**/apps/**'],
              message: 'Packages never import apps: move the shared piece into packages/*.',
            },
            {
              group: ['../../*'],
              message: 'No ../../ across folders: import through the package `exports` or its `#` imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine is a pure function of its inputs: no IO, no clock, no randomness, no timers.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts', 'packages/core/src/**/*.bench.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'net',
                'http',
                'https',
                'child_process',
                'os',
                'path',
                'crypto',
                'worker_threads',
                'timers',
                'timers/*',
              ],
              message: 'packages/core is pure: IO belongs to apps/*, the caller passes data in.',
            },
            {
              group: ['@loyalty/*'],
              message:
                'packages/core imports no workspace package: it is the bottom of the dependency graph.',
            },
            { group: ['../../*'], message: 'No ../../ across folders: use `#folder/file.ts` imports.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'packages/core is pure: take `now` as a parameter.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'packages/core is pure: take `now` as a parameter.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'packages/core is pure: the caller passes randomness in.',
        },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: 'ExportAllDeclaration', message: 'No barrel `export *`.' },
        { selector: 'TSEnumDeclaration', message: 'Use a `const` object of codes instead of an enum.' },
      ],
    },
  },
  {
    // Devices sit beside protocol, above core: they may import @loyalty/core and nothing else of ours.
    files: ['packages/devices/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@loyalty/server*', '@loyalty/pos*', '@loyalty/cabinet*', '**/apps/**'],
              message: 'Packages never import apps: move the shared piece into packages/*.',
            },
            {
              group: ['@loyalty/protocol*'],
              message: 'packages/devices depends on @loyalty/core only: take plain data from the caller.',
            },
            { group: ['../../*'], message: 'No ../../ across folders: use `#folder/file.ts` imports.' },
          ],
        },
      ],
    },
  },
  {
    // The terminal core is a plain Node module (ARCHITECTURE "The terminal", STYLE rule 6): Electron
    // hosts it, so it never imports Electron, the shell layers or another app.
    files: ['apps/pos/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'The terminal core runs without Electron (browser mode, tests): keep Electron in src/main.',
            },
          ],
          patterns: [
            {
              group: ['electron/*', '#main/*', '#preload/*', '#renderer/*'],
              message:
                'The core sits below main, preload and renderer: they call it through the handler map.',
            },
            {
              group: ['@loyalty/server*', '@loyalty/cabinet*', '**/apps/server/**', '**/apps/cabinet/**'],
              message: 'Apps never import each other: shared pieces belong in packages/*.',
            },
            { group: ['../../*'], message: 'No ../../ across folders: use `#core/...` imports.' },
          ],
        },
      ],
    },
  },
  {
    // The cabinet runs in the browser (React); its e2e tests and vite config run in Node.
    files: ['apps/cabinet/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@loyalty/server*', '@loyalty/pos*', '**/apps/server/**', '**/apps/pos/**', 'node:*'],
              message:
                'The cabinet talks only to the REST API v1: shared contracts come from @loyalty/protocol.',
            },
            { group: ['../../*'], message: 'No ../../ across folders: use `#folder/file` imports.' },
          ],
        },
      ],
    },
  },
  {
    // The cashier renderer (STYLE rules 5, 6) reaches the terminal core only through the handler
    // map over the WebSocket: it may import the map's types, never the core's code, main or preload.
    files: ['apps/pos/src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'The renderer runs in any Chromium (browser mode): it talks to the core through send().',
            },
          ],
          // Regexes, not groups: gitignore-style groups read a leading "#" as a comment.
          patterns: [
            {
              regex: '^(#core/(?!handlers/terminal-handlers\\.ts$)|.*/core/|@loyalty/pos/)',
              message:
                'The renderer never imports the terminal core: call it with send(name, args) (#renderer/rpc/terminal-client.ts).',
            },
            {
              regex: '^#core/handlers/terminal-handlers\\.ts$',
              allowTypeImports: true,
              message:
                'Only the handler map types may be imported here (`import type`): call handlers with send().',
            },
            {
              regex: '^(#main/|#preload/|node:|better-sqlite3$|ws$)',
              message: 'The renderer is browser code: no Node, no Electron main or preload.',
            },
            {
              regex: '^(@loyalty/(server|cabinet|protocol)|.*/apps/(server|cabinet)/)',
              message: 'Apps never import each other: shared pieces belong in packages/*.',
            },
          ],
        },
      ],
    },
  },
  {
    // Electron's main process (STYLE rule 6): it hosts the core through the core's public entry
    // (start it, dispatch to its map, the local endpoint) and shares only channel names with the
    // preload; it loads the renderer's build, never its code.
    files: ['apps/pos/src/main/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^#core/(?!(terminal-core|transport/dispatch|transport/local-server|transport/local-token|store/workstation-settings\\.schema)\\.ts$)',
              message:
                'The main process uses the core only through its public entry: #core/terminal-core.ts, #core/transport/{dispatch,local-server,local-token}.ts and the settings rules #core/store/workstation-settings.schema.ts.',
            },
            {
              regex: '^(#renderer/|#preload/(?!ipc-channels\\.ts$))',
              message:
                'Main loads the renderer build and shares only #preload/ipc-channels.ts with the preload.',
            },
            {
              regex: '^(@loyalty/(server|cabinet|pos)|.*/apps/(server|cabinet)/|\\.\\./)',
              message: 'No other app and no ../ across folders: use `#core/...` or `#preload/...` imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The preload runs sandboxed inside the window (STYLE rules 5, 6): Electron's contextBridge and
    // ipcRenderer, its own files and the handler map's types; nothing of Node, core, main or renderer.
    files: ['apps/pos/src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\./|#core/handlers/terminal-handlers\\.ts$)',
              message:
                'The preload may import only electron, its own files and the handler map types (import type).',
            },
            {
              regex: '^#core/handlers/terminal-handlers\\.ts$',
              allowTypeImports: true,
              message: 'Only the handler map types may be imported here (`import type`).',
            },
          ],
        },
      ],
    },
  },
  {
    // Config files and vitest global setups are loaded by their tools through a default export.
    files: [
      '**/*.config.{js,ts}',
      'eslint.config.js',
      '**/test/global-setup.ts',
      'apps/pos/integration/global-setup.ts',
      'apps/cabinet/e2e/global-setup.ts',
      'apps/pos/e2e/global-setup.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
