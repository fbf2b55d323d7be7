import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The core's layers, bottom up, and what each may not import (the folders above it): types live
 * with the code that produces them, so the core's folders never import each other in circles.
 */
const coreLayers = [
  { folder: 'util', above: ['config', 'llm', 'eval', 'optimize', 'report', 'simulate'] },
  { folder: 'config', above: ['llm', 'eval', 'optimize', 'report', 'simulate'] },
  { folder: 'llm', above: ['eval', 'optimize', 'report', 'simulate'] },
  { folder: 'eval', above: ['optimize', 'report', 'simulate'], noOpenai: true },
  { folder: 'optimize', above: ['report', 'simulate'], noOpenai: true },
  { folder: 'simulate', above: ['report'] },
  { folder: 'report', above: ['simulate'] }
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
  ...coreLayers.map(({ folder, above, noOpenai }) => ({
    files: [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noOpenai
            ? [
                {
                  name: 'openai',
                  message: 'Algorithms talk to a ChatModel, never to the openai SDK.'
                }
              ]
            : [],
          patterns: [
            {
              group: ['@actions/*'],
              message:
                'The core never imports @actions/*: GitHub glue lives in src/github and src/action.'
            },
            {
              group: ['**/github/**', '**/action/**', '**/cli/**', '**/run/**'],
              message:
                'Dependencies point down: the core never imports the adapters or the run layer.'
            },
            ...(above.length > 0
              ? [
                  {
                    group: above.map((name) => `**/${name}/**`),
                    message: `Dependencies point down inside the core: ${folder}/ may not import ${above.join(', ')}/ (config → llm → eval → optimize → report; simulate beside llm).`
                  }
                ]
              : [])
          ]
        }
      ]
    }
  }))
)
