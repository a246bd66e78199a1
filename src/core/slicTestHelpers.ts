// Assertions shared by the SLIC tests.
import { expect } from 'vitest';

/** Every label 0..count-1 occurs and is one 4-connected region (checked by flood fill from its first pixel). */
export function expectConnectedDense(labels: Int32Array, width: number, height: number, count: number): void {
  const seen = new Uint8Array(labels.length);
  const pieces = new Array<number>(count).fill(0);
  for (let start = 0; start < labels.length; start++) {
    if (seen[start]) continue;
    const label = labels[start];
    expect(label).toBeGreaterThanOrEqual(0);
    expect(label).toBeLessThan(count);
    pieces[label]++;
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = Math.floor(p / width);
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        const q = ny * width + nx;
        if (nx >= 0 && nx < width && ny >= 0 && ny < height && !seen[q] && labels[q] === label) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  expect(pieces).toEqual(new Array<number>(count).fill(1));
}
