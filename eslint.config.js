import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Layer boundaries: core ← ml ← worker ← state ← ui, and cli beside them on core and ml. Each layer lists the
// packages and the other layers it must not import (relative imports only); test files obey their layer's rules.
const REACT = ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'];
const TENSORFLOW = ['@tensorflow/*'];

/** `allowTypeImports` lets `import type` through the package ban (type names cost nothing at run time). */
function layer(name, { packages = [], layers = [], allowTypeImports = false }) {
  const patterns = [];
  if (packages.length > 0) {
    patterns.push({ group: packages, allowTypeImports, message: `src/${name} must not depend on this package (layer boundary).` });
  }
  if (layers.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`,
      message: `src/${name} must not import from src/${layers.join(', src/')} (layer boundary).`,
    });
  }
  return {
    files: [`src/${name}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'models', 'public', 'test-results', 'playwright-report', 'bench-out', 'build', 'assembly'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
    },
  },
  layer('core', { packages: [...REACT, ...TENSORFLOW], layers: ['ml', 'worker', 'state', 'ui', 'cli'] }),
  layer('ml', { packages: REACT, layers: ['worker', 'state', 'ui', 'cli'] }),
  layer('worker', { packages: REACT, layers: ['state', 'ui', 'cli'] }),
  // The store may name the model's and the worker's types (`import type`), never load tfjs itself.
  layer('state', { packages: TENSORFLOW, layers: ['ui', 'cli'], allowTypeImports: true }),
  layer('ui', { packages: TENSORFLOW, layers: ['cli'] }),
  layer('cli', { packages: REACT, layers: ['worker', 'state', 'ui'] }),
);
