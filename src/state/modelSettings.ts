// The backend the user asked for: `?backend=` in the URL wins over the saved setting, then automatic.
import { BACKENDS, type BackendPreference } from '../ml/backendNames.ts';

const KEY = 'zoomout.backend';

function parse(v: string | null): BackendPreference | undefined {
  return v === 'auto' || (BACKENDS as readonly string[]).includes(v ?? '') ? (v as BackendPreference) : undefined;
}

export function initialBackendPreference(): BackendPreference {
  return parse(new URLSearchParams(location.search).get('backend')) ?? parse(localStorage.getItem(KEY)) ?? 'auto';
}

export function saveBackendPreference(p: BackendPreference): void {
  localStorage.setItem(KEY, p);
}
