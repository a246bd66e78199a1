// Label-set colours are stored as '#rrggbb' (what <input type="color"> edits); masks and overlays need bytes.
export function hexToRgb(color: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];
}
