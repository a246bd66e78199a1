// PLY point clouds (Turk's Stanford format, what MeshLab, CloudCompare, Open3D and Blender read): the studio's
// export of a photo's predicted depth as a scene (thesis §5.5). Written as binary little endian — a third of
// ASCII's size — with x y z float metres and red green blue uchar per vertex.
import type { PointCloud } from './pinholeCamera.ts';

const VERTEX_BYTES = 3 * 4 + 3;

/** A binary little-endian PLY of the points; `comments` go into the header (one line each, no newlines). */
export function encodePly(cloud: PointCloud, comments: string[] = []): Uint8Array {
  for (const c of comments) if (/[\r\n]/.test(c)) throw new Error('a PLY comment is one line');
  const header = [
    'ply',
    'format binary_little_endian 1.0',
    ...comments.map((c) => `comment ${c}`),
    `element vertex ${cloud.count}`,
    'property float x',
    'property float y',
    'property float z',
    'property uchar red',
    'property uchar green',
    'property uchar blue',
    'end_header',
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(head.length + cloud.count * VERTEX_BYTES);
  out.set(head);
  const view = new DataView(out.buffer);
  for (let i = 0, o = head.length; i < cloud.count; i++, o += VERTEX_BYTES) {
    for (let a = 0; a < 3; a++) view.setFloat32(o + 4 * a, cloud.positions[3 * i + a], true);
    out.set(cloud.colors.subarray(3 * i, 3 * i + 3), o + 12);
  }
  return out;
}

const TYPES: Record<string, { bytes: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  char: { bytes: 1, read: (v, o) => v.getInt8(o) },
  uchar: { bytes: 1, read: (v, o) => v.getUint8(o) },
  short: { bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  ushort: { bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  int: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  uint: { bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  float: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  double: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
};
const ALIASES: Record<string, string> = { int8: 'char', uint8: 'uchar', int16: 'short', uint16: 'ushort', int32: 'int', uint32: 'uint', float32: 'float', float64: 'double' };

export interface PlyFile {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  comments: string[];
  vertexCount: number;
  /** Values per property of the vertex element, by property name. */
  vertex: Record<string, Float64Array>;
}

/** Reads a PLY whose only element is `vertex` with scalar properties (what encodePly writes, and most point clouds). */
export function decodePly(bytes: Uint8Array): PlyFile {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  const end = text.indexOf('end_header\n');
  if (!text.startsWith('ply\n') || end < 0) throw new Error('not a PLY file (no "ply" … "end_header" header)');
  const lines = text.slice(0, end).split('\n');
  let format: PlyFile['format'] | undefined;
  const comments: string[] = [];
  let vertexCount = -1;
  const properties: { name: string; type: string }[] = [];
  for (const line of lines.slice(1)) {
    const [word, ...rest] = line.trim().split(/\s+/);
    if (word === 'format') {
      if (rest[1] !== '1.0' || !['ascii', 'binary_little_endian', 'binary_big_endian'].includes(rest[0])) throw new Error(`unknown PLY format "${rest.join(' ')}"`);
      format = rest[0] as PlyFile['format'];
    } else if (word === 'comment') comments.push(line.trim().slice('comment '.length));
    else if (word === 'element') {
      if (rest[0] !== 'vertex' || vertexCount >= 0) throw new Error(`unsupported PLY element "${rest[0]}" (only one vertex element is read)`);
      vertexCount = Number(rest[1]);
    } else if (word === 'property') {
      const type = ALIASES[rest[0]] ?? rest[0];
      if (!TYPES[type]) throw new Error(`unsupported PLY property type "${rest[0]}"`);
      properties.push({ name: rest[1], type });
    }
  }
  if (!format || !(Number.isInteger(vertexCount) && vertexCount >= 0)) throw new Error('a PLY header without a format or a vertex count');
  const vertex = Object.fromEntries(properties.map((p) => [p.name, new Float64Array(vertexCount)]));
  const columns = properties.map((p) => vertex[p.name]);
  const start = end + 'end_header\n'.length;
  if (format === 'ascii') {
    const values = new TextDecoder().decode(bytes.subarray(start)).trim().split(/\s+/).map(Number);
    if (values.length < vertexCount * properties.length) throw new Error(`the PLY holds ${values.length} values for ${vertexCount} vertices`);
    for (let i = 0; i < vertexCount; i++) columns.forEach((c, a) => (c[i] = values[i * properties.length + a]));
  } else {
    const stride = properties.reduce((s, p) => s + TYPES[p.type].bytes, 0);
    if (bytes.length - start < vertexCount * stride) throw new Error(`the PLY ends before its ${vertexCount} vertices`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + start);
    const le = format === 'binary_little_endian';
    for (let i = 0, o = 0; i < vertexCount; i++) {
      properties.forEach((p, a) => {
        columns[a][i] = TYPES[p.type].read(view, o, le);
        o += TYPES[p.type].bytes;
      });
    }
  }
  return { format, comments, vertexCount, vertex };
}
