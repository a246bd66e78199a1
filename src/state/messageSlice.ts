// User-facing messages: every failure the user should know about lands here, never only in the console.
// Information goes away by itself; errors stay until the user dismisses them. A message may offer one
// command of the registry (e.g. "Photo closed — Undo").
import type { StateCreator } from 'zustand';
import type { StudioState } from './studioStore.ts';

export interface MessageAction {
  label: string;
  /** A command id of the registry (commands.ts). */
  commandId: string;
}

export interface Message {
  id: number;
  level: 'info' | 'error';
  text: string;
  action?: MessageAction;
}

export interface MessageSlice {
  messages: Message[];
  notify(level: Message['level'], text: string, action?: MessageAction): void;
  dismiss(id: number): void;
}

/** How long an information message stays; long enough to read and reach its action. */
export const INFO_MS = 6000;
const MAX_SHOWN = 5;

let messageId = 0;

export const createMessageSlice: StateCreator<StudioState, [], [], MessageSlice> = (set, get) => ({
  messages: [],
  notify(level, text, action) {
    const id = ++messageId;
    set((s) => ({ messages: [...s.messages.filter((m) => m.text !== text).slice(-(MAX_SHOWN - 1)), { id, level, text, action }] }));
    if (level === 'info') setTimeout(() => get().dismiss(id), INFO_MS);
  },
  dismiss(id) {
    if (get().messages.some((m) => m.id === id)) set((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
  },
});
