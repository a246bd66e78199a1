// Tests' data set lives in ../shared/data beside the repository (never an absolute path, so any checkout works).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sharedData = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** `<repo>/../shared/data/<parts...>`, e.g. `sharedDataPath('samples', 'astronaut.png')`. */
export function sharedDataPath(...parts: string[]): string {
  return join(sharedData, ...parts);
}
