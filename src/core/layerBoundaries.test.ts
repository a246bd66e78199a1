// eslint.config.js's layer boundaries fire: a layer importing what it must not is a lint error.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries', () => {
  it('keeps tfjs, React and the other layers out of src/core', async () => {
    expect(await restricted('src/core/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport { tf };\n")).toHaveLength(1);
    expect(await restricted('src/core/x.ts', "import { create } from 'zustand';\nexport { create };\n")).toHaveLength(1);
    expect(await restricted('src/core/x.ts', "import { Backbone } from '../ml/backbone.ts';\nexport { Backbone };\n")).toHaveLength(1);
    expect(await restricted('src/core/x.test.ts', "import * as tf from '@tensorflow/tfjs-backend-wasm';\nexport { tf };\n")).toHaveLength(1);
    expect(await restricted('src/core/x.ts', "import { slic } from './slic.ts';\nexport { slic };\n")).toEqual([]);
  });

  it('keeps React out of src/ml', async () => {
    expect(await restricted('src/ml/x.ts', "import { useState } from 'react';\nexport { useState };\n")).toHaveLength(1);
    expect(await restricted('src/ml/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport { tf };\n")).toEqual([]);
  });

  it('lets src/state name tfjs types but not load tfjs', async () => {
    expect(await restricted('src/state/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport { tf };\n")).toHaveLength(1);
    expect(await restricted('src/state/x.ts', "import type { Tensor } from '@tensorflow/tfjs';\nexport type { Tensor };\n")).toEqual([]);
    expect(await restricted('src/state/x.ts', "import { App } from '../ui/App.tsx';\nexport { App };\n")).toHaveLength(1);
  });

  it('keeps the studio out of src/cli, whose commands sit one folder deeper', async () => {
    expect(await restricted('src/cli/commands/x.ts', "import { useStudio } from '../../state/studioStore.ts';\nexport { useStudio };\n")).toHaveLength(1);
    expect(await restricted('src/cli/commands/x.ts', "import { slic } from '../../core/slic.ts';\nexport { slic };\n")).toEqual([]);
  });
});
