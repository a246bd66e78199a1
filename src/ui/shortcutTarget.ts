// Whether a key press is the focused control's or the studio's: a shortcut never takes a key that a field, a
// slider or a dropdown would use, so typing in a field or nudging a slider cannot close a photo or switch a
// setting. Pure (reads tagName/type/isContentEditable/role, no instanceof), so it is tested without a DOM.

/** The fields of a focused element this reads; an HTMLElement has them all. */
export interface FocusLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

/** ARIA roles of custom widgets that take typing or arrow keys. */
const KEY_TAKING_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'slider', 'spinbutton', 'menu', 'menubar', 'radiogroup', 'grid', 'tree']);

/**
 * A control that takes keys itself: every <input> (text and number take typing; range, radio and number take
 * arrows, Home/End, PageUp/Down; checkbox, color and file take Space), <select> (arrows and type-ahead),
 * <textarea>, contentEditable, and custom widgets with a key-taking role.
 */
export function isKeyTakingField(target: EventTarget | FocusLike | null | undefined): boolean {
  const t = target as FocusLike | null | undefined;
  if (!t || typeof t !== 'object') return false;
  if (t.isContentEditable === true) return true;
  const tag = typeof t.tagName === 'string' ? t.tagName.toUpperCase() : '';
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return true;
  const role = typeof t.getAttribute === 'function' ? t.getAttribute('role') : null;
  return role !== null && KEY_TAKING_ROLES.has(role);
}

/** Buttons, links and <summary> use Enter and Space (press, follow, open) and nothing else. */
function activatesOn(t: FocusLike, key: string): boolean {
  const tag = typeof t.tagName === 'string' ? t.tagName.toUpperCase() : '';
  return (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') && (key === 'Enter' || key === ' ');
}

/**
 * Whether a key press on `target` (the focused element, or the page) may run a shortcut. Escape always may:
 * it stops training from anywhere (and the keydown handler then lets go of the focused field).
 */
export function shortcutsAllowed(target: EventTarget | FocusLike | null | undefined, key: string): boolean {
  if (key === 'Escape') return true;
  if (isKeyTakingField(target)) return false;
  const t = target as FocusLike | null | undefined;
  return !(t && typeof t === 'object' && activatesOn(t, key));
}
