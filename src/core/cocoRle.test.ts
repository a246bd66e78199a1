// COCO RLE against pycocotools 2.0.11 (common/maskApi.c): the expected strings, areas and boxes below were computed
// with pycocotools' own `encode` / `frPyObjects` / `toBbox` / `area` on the same masks, and are checked here byte for
// byte (long strings as their SHA-256).
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  compressRle, decodeRle, encodeRle, rleArea, rleBbox, rleFromString, rleToString, uncompressRle, type CocoRle,
} from './cocoRle.ts';
import { decodeIndexPng } from './pngCodec.ts';
import { sharedDataPath } from './testData.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Pixels where two masks differ (vitest's deep equality is far too slow on 300k-pixel typed arrays). */
function differing(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** pycocotools: frPyObjects({size, counts}) → counts string, area, toBbox. */
const VECTORS: { name: string; size: [number, number]; counts: number[]; string: string; area: number; bbox: number[] }[] = [
  { name: 'empty', size: [3, 4], counts: [12], string: '<', area: 0, bbox: [0, 0, 0, 0] },
  { name: 'full', size: [3, 4], counts: [0, 12], string: '0<', area: 12, bbox: [0, 0, 4, 3] },
  { name: 'starts with 1', size: [3, 4], counts: [0, 2, 3, 7], string: '0235', area: 9, bbox: [0, 0, 4, 3] },
  { name: 'one pixel', size: [3, 4], counts: [5, 1, 6], string: '516', area: 1, bbox: [1, 2, 1, 1] },
  { name: 'run across columns', size: [3, 4], counts: [2, 3, 7], string: '237', area: 3, bbox: [0, 0, 2, 3] },
  { name: 'negative deltas', size: [10, 10], counts: [50, 1, 30, 2, 10, 3, 4], string: 'b11n01\\O1J', area: 6, bbox: [5, 0, 5, 6] },
  {
    name: 'large', size: [4000, 3000], counts: [5000000, 1234567, 3000000, 1, 2765432],
    string: 'Pjbh4WdeU1Pfak2j[ZjNhmjH', area: 1234568, bbox: [1250, 0, 1059, 4000],
  },
  { name: 'ends with 1s', size: [3, 4], counts: [4, 8], string: '48', area: 8, bbox: [1, 0, 3, 3] },
];

/**
 * coco-mini's two crowd annotations (uncompressed RLE in the JSON), through pycocotools: compressed string (SHA-256,
 * length), area and toBbox. The JSON's own `area` / `bbox` are not these: COCO computed them for crowds elsewhere —
 * both stored boxes are 1 px narrower and lower than the RLE's toBbox, and 905600092660's stored area (31275) is not
 * its RLE's pixel count (25630).
 */
const CROWDS = new Map([
  [905600092660, { sha: '8e4afb91f9a1c4d7cc78cd5fe1cc95c15719f3e1675c361381d480c33069a39a', length: 2169, area: 25630, bbox: [195, 112, 403, 191], jsonArea: 31275, jsonBbox: [195, 112, 402, 190] }],
  [906000034417, { sha: 'e9d11074f6d870db3c7a36503d298ed1f935b8d9676772e2887db1df88368b36', length: 811, area: 5517, bbox: [100, 135, 396, 45], jsonArea: 5517, jsonBbox: [100, 135, 395, 44] }],
]);

/**
 * Per coco-mini voc_masks PNG: SHA-256 of its lines `value:area:x,y,w,h:string`, one per value present (0 and 255
 * included), in value order, from pycocotools' encode(np.asfortranarray(mask == value)), area and toBbox (bbox
 * numbers as Python's repr of floats, '195.0').
 */
const VOC_MASKS: Record<string, string> = {
  '000000000139': 'cc58cde3a59b9aa6214260c39d7c5f80c69cae0a57d1f6ae94be0d2ccb376333',
  '000000000802': 'f29701e709e60490d85f44e2317ae9f6d295681c38d06e611b6e437729c778c5',
  '000000011813': '116ff094da68a1684ed1f04a9ba6a6a99e7a6bebb54eb72c8e9eadf40b280338',
  '000000018575': 'ad4809d91849cdf7dea05822ae25c152bb334cf7905d5596a81ad794faa9134e',
  '000000022192': '7dc80eaa70c949f1dcdcdf06c0aa588cde0a0cda5f92cb7e814326759ba21562',
  '000000022892': '9f91934546c84c149a27039a8e7cae47c6c75b3c7aee4985328ea389b439f8f0',
  '000000034417': '354d99986e3ab6621fc5f5d3c0c1a41dbd4987f15a85585cfa326d539b2dcda2',
  '000000062554': '202ad54c78c54eb3891f8dd229f0e0325f94f3c8ea71f515d174c73a135e1bdc',
  '000000073326': 'b0c3b2b88ec953c14db35e91d8ab2aad1e2d4e090cb30c6659ff1d8950793d1b',
  '000000092660': '6ee72937ae27faf90d2d880063aaa55045857b8b92a096828a29d7ee22937e5a',
  '000000099053': '0db6d8d043a94db5f6afde27755dc1930c4c8ccae083dde20343ee4a22c788af',
  '000000101787': '479d7b6e489e33e84073c421f58a12a697eb6a78e681e8ffe04f522315f2d65b',
  '000000106235': '62410b6009504bcc90d4ffe6ede8d7f03add4dd19f3da88a422f7194aad620b6',
  '000000109313': '9ca674e112bed682f83b18bdd14718e0d020b615b52d2ce6f6229575c1c4253c',
  '000000117645': '477571becce64e729fd1e754d605cc200a70b199ce50e335716a26d39c8ea9ab',
  '000000126107': '8fc8a62eef104ddaf836016ae13c49da4d2a44fb172c4a88a4069fdd5e7dfebd',
  '000000128598': '064db302760a946234ad5bc279eaa9557fad42c271ba596767cbc7064a11ab64',
  '000000135561': 'cf9ad6e550000030bce5811ee3ae69d9f6d46a11627ea84b10df13fef3633b34',
  '000000136334': '6ee25cbbe7d08892b755c0dfebda6a88dc99d1b263ab5ba097536a91b1c22392',
  '000000151938': '12ce346f9bb8d3b673744b901b8f8f7b156921878e1fd26eae59722213ff0b24',
  '000000153797': 'd21085c93ead4e38eaf7cadd98c64549892973d99bb3ba9e08da3cdfb6ec826b',
  '000000155341': 'dee8856252a5f995b823c173393db2366a5c0417a70b09cd15f3fdb23a1cfdaa',
  '000000160012': 'a142feecc4c565b93033a63b038777799be7b3df2e8d3c745f552246a620b281',
  '000000165518': '86b446617b214c277b9420496621a57346878379dcef5ff1d28142e08747e750',
  '000000172648': '904451d46b168355315f54a5f6201da1a5c4833f9482bac0c24908c814b9d4e3',
};

interface Annotation {
  id: number;
  iscrowd: number;
  segmentation: CocoRle | number[][];
}

describe('COCO RLE', () => {
  it.each(VECTORS)('$name: counts, string, area and bbox as pycocotools', ({ size, counts, string, area, bbox }) => {
    const rle = { size, counts };
    expect(rleToString(counts)).toBe(string);
    expect(rleFromString(string)).toEqual(counts);
    expect(rleArea(rle)).toBe(area);
    expect(rleArea({ size, counts: string })).toBe(area);
    expect(rleBbox(rle)).toEqual(bbox);
    expect(rleBbox({ size, counts: string })).toEqual(bbox);
    const mask = decodeRle({ size, counts: string });
    const again = encodeRle(mask, size[1], size[0]);
    expect(again).toEqual(rle);
    expect(compressRle(again)).toEqual({ size, counts: string });
    expect(uncompressRle({ size, counts: string })).toEqual(rle);
  });

  it('is column-major and starts with a run of 0s', () => {
    // 3 wide, 2 high, row-major:  1 1 0
    //                             0 1 0   → columns (1,0) (1,1) (0,0) → 0 1 | 1 2 2 → runs [0, 1, 1, 2, 2]
    expect(encodeRle(Uint8Array.of(1, 1, 0, 0, 1, 0), 3, 2)).toEqual({ size: [2, 3], counts: [0, 1, 1, 2, 2] });
    expect([...decodeRle({ size: [2, 3], counts: [0, 1, 1, 2, 2] })]).toEqual([1, 1, 0, 0, 1, 0]);
    expect(encodeRle(new Uint8Array(0), 0, 0)).toEqual({ size: [0, 0], counts: [0] });
  });

  it('round-trips random masks, counts and strings', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(rand() * 40);
      const height = 1 + Math.floor(rand() * 40);
      const density = rand();
      const mask = new Uint8Array(width * height);
      for (let i = 0; i < mask.length; i++) mask[i] = rand() < density ? 1 : 0;
      const rle = encodeRle(mask, width, height);
      expect(differing(decodeRle(rle), mask)).toBe(0);
      const s = rleToString(rle.counts);
      expect(s).toMatch(/^[0-o]*$/);
      expect(rleFromString(s)).toEqual(rle.counts);
      expect(rleArea(rle)).toBe(mask.reduce((a, v) => a + v, 0));
    }
  });

  it('rejects counts that do not fill the mask and characters outside the alphabet', () => {
    expect(() => decodeRle({ size: [3, 4], counts: [5, 1] })).toThrow(/add up to 6/);
    expect(() => decodeRle({ size: [3, 4], counts: [5, 10] })).toThrow(/past/);
    expect(() => rleFromString('5p')).toThrow(/outside/);
    expect(() => rleFromString('5P')).toThrow(/ends inside/);
  });

  it("coco-mini's crowd annotations: decode → encode gives the same counts, and pycocotools' string, area, bbox", async () => {
    const json = JSON.parse(await readFile(sharedDataPath('coco-mini', 'instances.json'), 'utf8')) as { annotations: Annotation[] };
    const rles = json.annotations.filter((a) => !Array.isArray(a.segmentation));
    expect(rles.map((a) => a.id).sort()).toEqual([...CROWDS.keys()].sort());
    for (const a of rles) {
      const ref = CROWDS.get(a.id)!;
      const given = a.segmentation as CocoRle;
      expect(a.iscrowd).toBe(1);
      const mask = decodeRle(given);
      const again = encodeRle(mask, given.size[1], given.size[0]);
      expect(again).toEqual(given);
      const s = rleToString(again.counts);
      expect([s.length, sha256(s)]).toEqual([ref.length, ref.sha]);
      expect(rleFromString(s)).toEqual(given.counts);
      expect(differing(decodeRle({ size: given.size, counts: s }), mask)).toBe(0);
      expect(rleArea(given)).toBe(ref.area);
      expect(rleBbox(given)).toEqual(ref.bbox);
      // What the JSON itself stores (see CROWDS): equal where COCO's numbers agree with the mask.
      const stored = a as unknown as { area: number; bbox: number[] };
      expect([stored.area, stored.bbox]).toEqual([ref.jsonArea, ref.jsonBbox]);
    }
  });

  it("coco-mini voc_masks: every value's mask encodes to pycocotools' string, area and bbox", async () => {
    const files = (await readdir(sharedDataPath('coco-mini', 'voc_masks'))).filter((f) => f.endsWith('.png')).sort();
    expect(files.map((f) => f.slice(0, -4))).toEqual(Object.keys(VOC_MASKS).sort());
    for (const file of files) {
      const { width, height, values } = decodeIndexPng(await readFile(sharedDataPath('coco-mini', 'voc_masks', file)));
      const lines: string[] = [];
      for (const value of [...new Set(values)].sort((a, b) => a - b)) {
        const mask = new Uint8Array(values.length);
        for (let i = 0; i < values.length; i++) mask[i] = values[i] === value ? 1 : 0;
        const rle = encodeRle(mask, width, height);
        expect(differing(decodeRle(rle), mask)).toBe(0);
        const s = rleToString(rle.counts);
        expect(rleFromString(s)).toEqual(rle.counts);
        lines.push(`${value}:${rleArea(rle)}:${rleBbox(rle).map((v) => v.toFixed(1)).join(',')}:${s}`);
      }
      expect(sha256(lines.join('\n')), file).toBe(VOC_MASKS[file.slice(0, -4)]);
    }
  });
});
