import { describe, it, expect } from 'vitest';
import { labF, rgbaToLab } from './cielab.ts';

// Reference values: CIE L*a*b* (D65) of sRGB colours, as published by standard converters.
const cases: [number[], number[]][] = [
  [[255, 255, 255], [100, 0, 0]],
  [[0, 0, 0], [0, 0, 0]],
  [[255, 0, 0], [53.2408, 80.0925, 67.2032]],
  [[0, 255, 0], [87.7347, -86.1827, 83.1793]],
  [[0, 0, 255], [32.2970, 79.1875, -107.8602]],
  [[128, 128, 128], [53.5850, 0, 0]],
  // Below the CIE ε: L = κ·Y with Y = (1/255)/12.92.
  [[1, 1, 1], [0.2742, 0, 0]],
];

describe('rgbaToLab', () => {
  it('matches published CIELAB values to 0.01', () => {
    const data = new Uint8Array(cases.flatMap(([rgb]) => [...rgb, 255]));
    const lab = rgbaToLab({ width: cases.length, height: 1, data });
    cases.forEach(([, expected], i) => {
      for (let c = 0; c < 3; c++) expect(Math.abs(lab[i * 3 + c] - expected[c])).toBeLessThan(0.01);
    });
  });

  it('keeps the tabulated companding within 1e-3 of the exact cube root over every grey level', () => {
    const data = new Uint8Array(256 * 4);
    for (let v = 0; v < 256; v++) data.set([v, v, v, 255], v * 4);
    const lab = rgbaToLab({ width: 256, height: 1, data });
    for (let v = 0; v < 256; v++) {
      const c = v / 255;
      const y = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      expect(Math.abs(lab[v * 3] - (116 * labF(y) - 16))).toBeLessThan(1e-3);
    }
  });
});
