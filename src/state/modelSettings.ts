// Model settings the user chose: a URL parameter (`?backend=`, `?side=`) wins over the saved setting, which
// wins over the default, so a link can pin a backend or input size for a demo or a test.
import { BACKENDS, type BackendPreference } from '../ml/backendNames.ts';

const BACKEND_KEY = 'zoomout.backend';
const SIDE_KEY = 'zoomout.inputSide';
export const INPUT_SIDES = [64, 128, 256, 320, 384, 512, 640, 768];

function parseBackend(v: string | null): BackendPreference | undefined {
  return v === 'auto' || (BACKENDS as readonly string[]).includes(v ?? '') ? (v as BackendPreference) : undefined;
}

function parseSide(v: string | null): number | undefined {
  const n = Number(v);
  return v !== null && Number.isInteger(n) && n >= 32 && n <= 2048 ? n : undefined;
}

const param = (name: string) => new URLSearchParams(location.search).get(name);

export function initialBackendPreference(): BackendPreference {
  return parseBackend(param('backend')) ?? parseBackend(localStorage.getItem(BACKEND_KEY)) ?? 'auto';
}

export function initialInputSide(): number {
  return parseSide(param('side')) ?? parseSide(localStorage.getItem(SIDE_KEY)) ?? 512;
}

export function saveBackendPreference(p: BackendPreference): void {
  localStorage.setItem(BACKEND_KEY, p);
}

export function saveInputSide(side: number): void {
  localStorage.setItem(SIDE_KEY, String(side));
}
