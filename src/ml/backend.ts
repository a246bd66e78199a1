// Backend choice at start-up: WebGPU → WebGL → WASM → CPU, each tried in turn. Software-emulated GPUs
// (a WebGPU fallback adapter, a SwiftShader/llvmpipe WebGL renderer) are skipped in automatic mode:
// measured in platform-notes.md, WASM is 10–50× faster than them.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKENDS, type BackendChoice, type BackendName, type BackendPreference } from './backendNames.ts';

export { BACKENDS, type BackendChoice, type BackendName, type BackendPreference } from './backendNames.ts';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|software|softpipe/i;

async function webgpuDevice(): Promise<{ device: string; software: boolean } | undefined> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return undefined;
  const info = (adapter as GPUAdapter & { info?: { vendor?: string; architecture?: string; description?: string } }).info;
  const device = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { device, software: fallback || SOFTWARE_RENDERER.test(device) };
}

function webglDevice(): { device: string; software: boolean } | undefined {
  if (typeof OffscreenCanvas === 'undefined') return undefined;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return undefined;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const device = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { device, software: SOFTWARE_RENDERER.test(device) };
}

async function probe(name: BackendName): Promise<{ device?: string; software: boolean } | undefined> {
  if (name === 'webgpu') return webgpuDevice();
  if (name === 'webgl') return webglDevice();
  return { software: false };
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  const skipped: string[] = [];
  const order: BackendName[] = preference === 'auto' ? [...BACKENDS] : [preference, ...BACKENDS.filter((b) => b !== preference)];
  for (const name of order) {
    const forced = name === preference;
    const found = await probe(name).catch(() => undefined);
    if (!found) {
      skipped.push(`${name}: not available`);
      continue;
    }
    if (found.software && !forced) {
      skipped.push(`${name}: software emulation (${found.device})`);
      continue;
    }
    if (await trySet(name)) {
      await tf.ready();
      return { name, skipped, device: found.device };
    }
    skipped.push(`${name}: failed to initialise`);
  }
  throw new Error(`no tfjs backend could start (${skipped.join('; ')})`);
}
