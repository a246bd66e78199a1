import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeDepthPng } from './depthMap.ts';
import { backProject, pinholeCamera } from './pinholeCamera.ts';
import { decodePly, encodePly } from './plyCodec.ts';
import { sharedDataPath } from './testData.ts';

describe('PLY point clouds', () => {
  it('a real NYUv2 photo’s points come back from the binary PLY exactly', () => {
    const depth = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', '0012.png')));
    const png = decode(readFileSync(sharedDataPath('nyuv2', 'rgb', '0012.png')));
    const rgba = new Uint8Array(depth.width * depth.height * 4);
    for (let i = 0; i < depth.width * depth.height; i++) for (let c = 0; c < 3; c++) rgba[4 * i + c] = png.data[png.channels * i + c];
    const cloud = backProject(depth, rgba, pinholeCamera(depth.width, depth.height), 2);
    const bytes = encodePly(cloud, ['x right, y down, z forward (metres)', 'horizontal field of view 60 degrees (assumed)']);
    const ply = decodePly(bytes);
    expect(ply.format).toBe('binary_little_endian');
    expect(ply.comments).toEqual(['x right, y down, z forward (metres)', 'horizontal field of view 60 degrees (assumed)']);
    expect(ply.vertexCount).toBe(cloud.count);
    expect(Object.keys(ply.vertex)).toEqual(['x', 'y', 'z', 'red', 'green', 'blue']);
    for (const [a, name] of ['x', 'y', 'z'].entries()) expect(Float32Array.from(ply.vertex[name])).toEqual(cloud.positions.filter((_, i) => i % 3 === a));
    for (const [a, name] of ['red', 'green', 'blue'].entries()) expect(Uint8Array.from(ply.vertex[name])).toEqual(cloud.colors.filter((_, i) => i % 3 === a));
    // 15 bytes per vertex after the header.
    expect(bytes.length - new TextDecoder().decode(bytes).indexOf('end_header\n') - 11).toBe(15 * cloud.count);
  });

  it('reads ASCII and big-endian PLY, and refuses what is not one', () => {
    const ascii = new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty uint8 red\nend_header\n1.5 7\n-2 255\n');
    const a = decodePly(ascii);
    expect([...a.vertex.x, ...a.vertex.red]).toEqual([1.5, -2, 7, 255]);
    const head = new TextEncoder().encode('ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty short s\nend_header\n');
    const big = decodePly(Uint8Array.from([...head, 0xff, 0xfe]));
    expect(big.vertex.s[0]).toBe(-2);
    expect(() => decodePly(new TextEncoder().encode('PK\u0003\u0004'))).toThrow(/not a PLY/);
    expect(() => decodePly(Uint8Array.from([...head, 0xff]))).toThrow(/ends before/);
    expect(() => encodePly({ positions: new Float32Array(), colors: new Uint8Array(), count: 0 }, ['two\nlines'])).toThrow(/one line/);
  });
});
