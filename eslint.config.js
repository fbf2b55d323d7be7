import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const core = [
  'src/config/**',
  'src/eval/**',
  'src/llm/**',
  'src/optimize/**',
  'src/report/**',
  'src/simulate/**',
  'src/util/**',
  'src/errors.ts'
]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-console': 'off'
    }
  },
  {
    files: core,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@actions/*'],
              message:
                'The core never imports @actions/*: GitHub glue lives in src/github and src/action.'
            },
            {
              group: ['**/github/**', '**/action/**', '**/cli/**'],
              message: 'Dependencies point down: the core never imports the adapters.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/optimize/**', 'src/eval/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'openai', message: 'Algorithms talk to a ChatModel, never to the openai SDK.' }
          ],
          patterns: [
            { group: ['@actions/*'], message: 'The core never imports @actions/*.' },
            {
              group: ['**/github/**', '**/action/**', '**/cli/**'],
              message: 'Dependencies point down.'
            }
          ]
        }
      ]
    }
  }
)
