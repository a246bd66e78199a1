// Backend names and the choice record, free of tfjs so the UI thread can name backends without loading it.
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = BackendName | 'auto';

export interface BackendChoice {
  name: BackendName;
  /** Why earlier candidates were passed over, for the model panel. */
  skipped: string[];
  /** The adapter or renderer, when known. */
  device?: string;
}
