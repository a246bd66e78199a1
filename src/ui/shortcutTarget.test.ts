import { describe, expect, it } from 'vitest';
import { isKeyTakingField, shortcutsAllowed, type FocusLike } from './shortcutTarget.ts';

// Plain objects with the fields an HTMLElement has: the rule reads fields, so no DOM is needed.
const el = (tagName: string, extra: Partial<FocusLike> & { role?: string } = {}): FocusLike => ({
  tagName,
  isContentEditable: false,
  ...extra,
  getAttribute: (name) => (name === 'role' ? (extra.role ?? null) : null),
});

describe('shortcutsAllowed', () => {
  it('allows shortcuts on the page itself', () => {
    expect(shortcutsAllowed(null, 'b')).toBe(true);
    expect(shortcutsAllowed(el('BODY'), 'Delete')).toBe(true);
    expect(shortcutsAllowed(el('CANVAS'), 'z')).toBe(true);
  });

  it.each([
    ['text field', el('INPUT', { type: 'text' })],
    ['number field', el('INPUT', { type: 'number' })],
    ['range slider', el('INPUT', { type: 'range' })],
    ['checkbox', el('INPUT', { type: 'checkbox' })],
    ['colour swatch', el('INPUT', { type: 'color' })],
    ['dropdown', el('SELECT')],
    ['textarea', el('TEXTAREA')],
    ['contentEditable', el('DIV', { isContentEditable: true })],
    ['custom slider', el('DIV', { role: 'slider' })],
    ['lower-case tag name', el('input', { type: 'range' })],
  ])('a focused %s keeps its keys, Escape aside', (_what, target) => {
    for (const key of ['Delete', 'b', 'm', '+', '1', 'ArrowLeft', 'z']) expect(shortcutsAllowed(target, key), key).toBe(false);
    expect(shortcutsAllowed(target, 'Escape')).toBe(true);
    expect(isKeyTakingField(target)).toBe(true);
  });

  it('a focused button keeps only Enter and Space', () => {
    const button = el('BUTTON');
    expect(shortcutsAllowed(button, 'Enter')).toBe(false);
    expect(shortcutsAllowed(button, ' ')).toBe(false);
    expect(shortcutsAllowed(button, 'b')).toBe(true);
    expect(shortcutsAllowed(button, '3')).toBe(true);
    expect(isKeyTakingField(button)).toBe(false);
  });
});
