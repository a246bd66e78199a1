// Procedural outdoor scenes with exact class maps and depth (thesis §5.5: layout matters more than objects, and
// out of doors the layout is ground and sky): training data for depth from segmentation beside the indoor rooms
// (indoorScene.ts). A hand-held pinhole camera (NYUv2's field of view, so one net reads both) stands on the
// ground of a street between building fronts, or of an open space with buildings far off; trees, parked and
// moving cars and people stand on the ground at real-world sizes. sceneRaycast.ts renders class and depth.
// No real outdoor label maps with these classes are reachable here, so, unlike the rooms, the statistics are
// not checked against real photos: sizes are set from the world (a car 4.5 m long, a storey 3 m, a lane 3.5 m).
import { DEPTH_CLASSES, OUTDOOR_CLASSES } from './labelSets.ts';
import { NYU_FOCAL_AT_640 } from './indoorScene.ts';
import { between, renderScene, type Backdrop, type Box, type Random, type SyntheticScene, type Vec3 } from './sceneRaycast.ts';

type OutdoorClass = (typeof OUTDOOR_CLASSES)[number];

const label = (name: OutdoorClass) => DEPTH_CLASSES.indexOf(name) + 1;

/**
 * Depth of the sky, and the farthest depth of anything: outdoor RGB-D sets cap depth about here (KITTI at 80 m),
 * and the scale-invariant loss must not chase the horizon's infinity.
 */
export const SKY_METRES = 80;

/** The ground plane y = 0 and the sky beyond everything, as seen from `camera`. */
export const groundAndSky: Backdrop = (camera, dir) => {
  if (dir[1] < 0) {
    const t = -camera[1] / dir[1];
    if (t < SKY_METRES) return { t, label: label('ground') };
  }
  return { t: SKY_METRES, label: label('sky') };
};

const boxOnGround = (x: number, z: number, w: number, h: number, d: number, name: OutdoorClass): Box => ({ min: [x - w / 2, 0, z - d / 2], max: [x + w / 2, h, z + d / 2], label: label(name) });

/** A row of building fronts along z at x = ±`half`, with gaps (side streets, open lots). */
function buildingRow(random: Random, side: -1 | 1, half: number, present: number, tall: number): Box[] {
  const boxes: Box[] = [];
  for (let z = between(random, -10, 5); z < SKY_METRES; ) {
    const length = between(random, 6, 30);
    if (random() < present) {
      const thick = between(random, 8, 20);
      const x0 = side < 0 ? -half - thick : half;
      boxes.push({ min: [x0, 0, z], max: [x0 + thick, between(random, 4, tall), z + length], label: label('building') });
    }
    z += length + (random() < 0.3 ? between(random, 3, 15) : 0);
  }
  return boxes;
}

/** A tree: trunk and crown, both 'tree'. */
function tree(random: Random, x: number, z: number): Box[] {
  const trunk = between(random, 1.5, 3);
  const crown = between(random, 2, 6);
  const high = trunk + between(random, 2, 6);
  return [boxOnGround(x, z, 0.3, trunk + 0.3, 0.3, 'tree'), { min: [x - crown / 2, trunk, z - crown / 2], max: [x + crown / 2, high, z + crown / 2], label: label('tree') }];
}

/** One random street or open space seen from one random hand-held viewpoint, width × height pixels. */
export function outdoorScene(random: Random, width = 64, height = 48): SyntheticScene {
  const street = random() < 0.65;
  // Half the free width between the fronts; a sidewalk's width inside it.
  const half = street ? between(random, 5, 14) : between(random, 25, 60);
  const sidewalk = between(random, 1.5, 4);
  const camera: Vec3 = [between(random, -0.8, 0.8) * (half - 1), between(random, 1.2, 1.8), 0];
  const boxes: Box[] = [];
  for (const side of [-1, 1] as const) boxes.push(...buildingRow(random, side, half, street ? 0.85 : 0.3, street ? 25 : 15));
  if (random() < 0.4) {
    const z = between(random, 30, SKY_METRES);
    boxes.push({ min: [-3 * half, 0, z], max: [3 * half, between(random, 5, 30), z + 15], label: label('building') });
  }
  const kerb = half - sidewalk;
  // Trees along the sidewalks, or scattered in the open.
  for (const side of [-1, 1] as const) {
    if (random() < 0.5) continue;
    for (let z = between(random, 3, 12); z < 60; z += between(random, 6, 15)) boxes.push(...tree(random, side * between(random, kerb + 0.5, half - 0.5), z));
  }
  if (!street) for (let i = Math.floor(between(random, 0, 8)); i > 0; i--) boxes.push(...tree(random, between(random, -half, half), between(random, 8, 70)));
  // Cars parked along the kerbs and in the lanes ahead; people on the sidewalks and crossing.
  for (const side of [-1, 1] as const) {
    for (let z = between(random, 2, 10); z < 60; z += between(random, 5, 12)) {
      if (random() < 0.5) boxes.push(boxOnGround(side * (kerb - 1.1), z, between(random, 1.7, 2.0), between(random, 1.4, 1.9), between(random, 3.8, 5.0), 'car'));
    }
  }
  for (let i = Math.floor(between(random, 0, 3)); i > 0; i--) boxes.push(boxOnGround(between(random, -kerb + 2, kerb - 2), between(random, 6, 50), between(random, 1.7, 2.0), between(random, 1.4, 1.9), between(random, 3.8, 5.0), 'car'));
  for (let i = Math.floor(between(random, 0, 9)); i > 0; i--) {
    const onSidewalk = random() < 0.7;
    const x = onSidewalk ? (random() < 0.5 ? -1 : 1) * between(random, kerb, half - 0.3) : between(random, -kerb, kerb);
    boxes.push(boxOnGround(x, between(random, 3, 40), between(random, 0.4, 0.6), between(random, 1.5, 1.9), between(random, 0.25, 0.4), 'person'));
  }
  // Nothing stands on the camera: a box around it is dropped.
  const clear = boxes.filter((b) => !(camera[0] > b.min[0] - 0.5 && camera[0] < b.max[0] + 0.5 && camera[2] > b.min[2] - 0.5 && camera[2] < b.max[2] + 0.5));
  const view = { camera, yaw: between(random, -0.35, 0.35), pitch: between(random, -0.15, 0.12), focal: (NYU_FOCAL_AT_640 * width) / 640 };
  const scene = renderScene(view, clear, groundAndSky, width, height);
  for (let i = 0; i < scene.metres.length; i++) scene.metres[i] = Math.min(SKY_METRES, scene.metres[i]);
  return scene;
}
