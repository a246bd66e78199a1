// The 3D view of a photo's predicted depth (thesis §5.5; docs/depth.md): its back-projected points, coloured by
// the photo, under three.js's orbit controls (drag orbits, right drag or Shift+drag pans, the wheel zooms).
// It renders on demand, after a camera move or a resize, so an idle view costs no GPU time; dispose() frees the
// geometry, the material, the controls and the WebGL context itself.
import { BufferAttribute, BufferGeometry, LinearSRGBColorSpace, PerspectiveCamera, Points, PointsMaterial, Scene, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { PinholeCamera, PointCloud } from '../core/pinholeCamera.ts';

export interface PointCloudView {
  dispose(): void;
}

/** Why WebGL 2 (what three.js needs) is missing here, or undefined when it is available. */
export function webglUnavailableReason(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'this browser gives no WebGL 2 context (disabled, blocklisted GPU, or no GPU or software renderer)';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return undefined;
}

/**
 * Shows `cloud`, seen first from where the photo was taken: `image` is the camera the points were back-projected
 * with and `imageSize` its photo's size, so the first frame frames the photo as it was shot.
 */
export function showPointCloud(container: HTMLElement, cloud: PointCloud, image: PinholeCamera, imageSize: { width: number; height: number }, onContextLost: () => void): PointCloudView {
  const renderer = new WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  // The photo's bytes are sRGB already: pass them through instead of treating them as linear.
  renderer.outputColorSpace = LinearSRGBColorSpace;
  renderer.setClearColor(0x000000);
  renderer.setPixelRatio(window.devicePixelRatio);
  const canvas = renderer.domElement;
  canvas.dataset.testid = 'depth-3d-canvas';
  canvas.dataset.frames = '0';
  container.appendChild(canvas);
  const lost = (e: Event) => {
    e.preventDefault();
    onContextLost();
  };
  canvas.addEventListener('webglcontextlost', lost);

  // The camera frame (x right, y down, z forward) turned into three.js's (y up, looking down −z).
  // A loop: TypedArray.from with a mapping function is several times slower over 600k coordinates.
  const positions = new Float32Array(cloud.positions.length);
  for (let i = 0; i < positions.length; i++) positions[i] = i % 3 === 0 ? cloud.positions[i] : -cloud.positions[i];
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setAttribute('color', new BufferAttribute(cloud.colors, 3, true));
  const zs = Float32Array.from({ length: Math.min(cloud.count, 10_000) }, (_, k) => cloud.positions[3 * Math.floor((k * cloud.count) / Math.min(cloud.count, 10_000)) + 2]).sort();
  const medianDepth = zs.length ? zs[zs.length >> 1] : 1;
  // Points as wide as the grid's spacing at the median depth, a little more so the surface looks closed.
  const spacing = (Math.sqrt((imageSize.width * imageSize.height) / Math.max(1, cloud.count)) * medianDepth) / image.focal;
  const material = new PointsMaterial({ vertexColors: true, sizeAttenuation: true });
  const scene = new Scene();
  scene.add(new Points(geometry, material));

  const camera = new PerspectiveCamera(50, 1, medianDepth / 100, medianDepth * 100);
  const controls = new OrbitControls(camera, canvas);
  controls.target.set(0, 0, -medianDepth);
  controls.update();

  let frames = 0;
  const render = () => {
    renderer.render(scene, camera);
    canvas.dataset.frames = String(++frames);
  };
  const resize = () => {
    const { clientWidth: w, clientHeight: h } = container;
    if (w === 0 || h === 0) return;
    renderer.setSize(w, h);
    // The vertical field of view that shows the whole photo in a view of this aspect.
    const tanHalf = Math.max(imageSize.height / 2 / image.focal, imageSize.width / 2 / image.focal / (w / h));
    camera.fov = (2 * Math.atan(tanHalf) * 180) / Math.PI;
    // three.js scales attenuated points by half the view's height over depth, leaving out the field of view.
    material.size = (1.4 * spacing) / tanHalf;
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
    render();
  };
  controls.addEventListener('change', render);
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  resize();

  return {
    dispose() {
      observer.disconnect();
      controls.removeEventListener('change', render);
      controls.dispose();
      geometry.dispose();
      material.dispose();
      canvas.removeEventListener('webglcontextlost', lost);
      renderer.dispose();
      // Without this the context lives until garbage collection, and Chromium keeps only 16 at a time.
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
}
