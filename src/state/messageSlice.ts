// User-facing messages: every failure the user should know about lands here, never only in the console.
import type { StateCreator } from 'zustand';
import type { StudioState } from './studioStore.ts';

export interface Message {
  id: number;
  level: 'info' | 'error';
  text: string;
}

export interface MessageSlice {
  messages: Message[];
  notify(level: Message['level'], text: string): void;
  dismiss(id: number): void;
}

let messageId = 0;

export const createMessageSlice: StateCreator<StudioState, [], [], MessageSlice> = (set) => ({
  messages: [],
  notify(level, text) {
    const id = ++messageId;
    set((s) => ({ messages: [...s.messages.slice(-4), { id, level, text }] }));
  },
  dismiss(id) {
    set((s) => ({ messages: s.messages.filter((m) => m.id !== id) }));
  },
});
