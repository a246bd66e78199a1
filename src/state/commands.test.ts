import { describe, expect, it } from 'vitest';
import { commandForKey, commands, shortcutLabel, type KeyEvent } from './commands.ts';

/** A keydown as a browser reports it: the character typed (key), the physical key (code), the modifiers held. */
function press(key: string, code: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {}): KeyEvent {
  return { key, code, ctrlKey: !!mods.ctrl, shiftKey: !!mods.shift, altKey: !!mods.alt, metaKey: !!mods.meta };
}

type Row = [what: string, event: KeyEvent, command: string | undefined];

// What US QWERTY, German QWERTZ and French AZERTY keyboards send (Chromium on Windows/Linux unless noted).
// German and French AltGr arrives as Ctrl+Alt on Windows, with no modifier on Linux, and as Option (Alt) on a Mac.
const us: Row[] = [
  ['Ctrl+Z', press('z', 'KeyZ', { ctrl: true }), 'undo'],
  ['⌘Z (Mac)', press('z', 'KeyZ', { meta: true }), 'undo'],
  ['Ctrl+Shift+Z', press('Z', 'KeyZ', { ctrl: true, shift: true }), 'redo'],
  ['⌘⇧Z (Mac reports lower case)', press('z', 'KeyZ', { meta: true, shift: true }), 'redo'],
  ['Ctrl+Y', press('y', 'KeyY', { ctrl: true }), 'redo'],
  ['+ is Shift+=', press('+', 'Equal', { shift: true }), 'zoom-in'],
  ['= unshifted', press('=', 'Equal'), 'zoom-in'],
  ['numpad +', press('+', 'NumpadAdd'), 'zoom-in'],
  ['-', press('-', 'Minus'), 'zoom-out'],
  ['numpad -', press('-', 'NumpadSubtract'), 'zoom-out'],
  [']', press(']', 'BracketRight'), 'next-photo'],
  ['[', press('[', 'BracketLeft'), 'prev-photo'],
  ['b', press('b', 'KeyB'), 'tool-brush'],
  ['e', press('e', 'KeyE'), 'tool-eraser'],
  ['v', press('v', 'KeyV'), 'tool-pan'],
  ['B with Caps Lock', press('B', 'KeyB'), 'tool-brush'],
  ['f', press('f', 'KeyF'), 'zoom-fit'],
  ['Ctrl+S', press('s', 'KeyS', { ctrl: true }), 'export-mask'],
  [',', press(',', 'Comma'), 'brush-smaller'],
  ['.', press('.', 'Period'), 'brush-larger'],
  ['Delete', press('Delete', 'Delete'), 'remove-photo'],
  ['Escape', press('Escape', 'Escape'), 'stop-training'],
  ['0', press('0', 'Digit0'), 'class-0'],
  ['3', press('3', 'Digit3'), 'class-3'],
  ['numpad 7', press('7', 'Numpad7'), 'class-7'],
  ['Shift+1 types !', press('!', 'Digit1', { shift: true }), 'toggle-L1'],
  ['Shift+6 types ^', press('^', 'Digit6', { shift: true }), 'toggle-H'],
  ['Shift+8 types *', press('*', 'Digit8', { shift: true }), 'toggle-S2'],
  // Not shortcuts: the browser's own, or modifiers that change the meaning.
  ['Shift+B', press('B', 'KeyB', { shift: true }), undefined],
  ['Ctrl+B', press('b', 'KeyB', { ctrl: true }), undefined],
  ['Ctrl++ (browser zoom)', press('+', 'Equal', { ctrl: true, shift: true }), undefined],
  ['Ctrl+- (browser zoom)', press('-', 'Minus', { ctrl: true }), undefined],
  ['Ctrl+1 (browser tab)', press('1', 'Digit1', { ctrl: true }), undefined],
  ['Shift+Delete', press('Delete', 'Delete', { shift: true }), undefined],
  ['Shift+9 types (', press('(', 'Digit9', { shift: true }), undefined],
];

const german: Row[] = [
  ['Ctrl+Z (the Z key is code KeyY)', press('z', 'KeyY', { ctrl: true }), 'undo'],
  ['Ctrl+Shift+Z', press('Z', 'KeyY', { ctrl: true, shift: true }), 'redo'],
  ['Ctrl+Y (the Y key is code KeyZ)', press('y', 'KeyZ', { ctrl: true }), 'redo'],
  ['+ has its own key (code BracketRight)', press('+', 'BracketRight'), 'zoom-in'],
  ['= is Shift+0', press('=', 'Digit0', { shift: true }), 'zoom-in'],
  ['- (code Slash)', press('-', 'Slash'), 'zoom-out'],
  ['] is AltGr+9 (Windows: Ctrl+Alt)', press(']', 'Digit9', { ctrl: true, alt: true }), 'next-photo'],
  ['] is AltGr+9 (Linux)', press(']', 'Digit9'), 'next-photo'],
  ['] is Option+6 (Mac)', press(']', 'Digit6', { alt: true }), 'next-photo'],
  ['[ is AltGr+8 (Windows)', press('[', 'Digit8', { ctrl: true, alt: true }), 'prev-photo'],
  ['ü (code BracketLeft) is no shortcut', press('ü', 'BracketLeft'), undefined],
  ['b', press('b', 'KeyB'), 'tool-brush'],
  ['e', press('e', 'KeyE'), 'tool-eraser'],
  ['v', press('v', 'KeyV'), 'tool-pan'],
  [', (code Comma)', press(',', 'Comma'), 'brush-smaller'],
  ['Delete (Entf)', press('Delete', 'Delete'), 'remove-photo'],
  ['Escape', press('Escape', 'Escape'), 'stop-training'],
  ['4', press('4', 'Digit4'), 'class-4'],
  ['Shift+1 types !', press('!', 'Digit1', { shift: true }), 'toggle-L1'],
  ['Shift+3 types §', press('§', 'Digit3', { shift: true }), 'toggle-L3'],
  ['Shift+7 types /', press('/', 'Digit7', { shift: true }), 'toggle-S1'],
  ['Shift+8 types (', press('(', 'Digit8', { shift: true }), 'toggle-S2'],
];

const french: Row[] = [
  ['Ctrl+Z (the Z key is code KeyW)', press('z', 'KeyW', { ctrl: true }), 'undo'],
  ['Ctrl+W (code KeyZ) is not undo', press('w', 'KeyZ', { ctrl: true }), undefined],
  ['Ctrl+Shift+Z', press('Z', 'KeyW', { ctrl: true, shift: true }), 'redo'],
  ['+ is Shift+=', press('+', 'Equal', { shift: true }), 'zoom-in'],
  ['= unshifted', press('=', 'Equal'), 'zoom-in'],
  ['- is the 6 key unshifted', press('-', 'Digit6'), 'zoom-out'],
  ['] is AltGr+) (Windows)', press(']', 'Minus', { ctrl: true, alt: true }), 'next-photo'],
  ['[ is AltGr+( (Windows)', press('[', 'Digit5', { ctrl: true, alt: true }), 'prev-photo'],
  ['a (code KeyQ) is no shortcut', press('a', 'KeyQ'), undefined],
  ['b', press('b', 'KeyB'), 'tool-brush'],
  ['e', press('e', 'KeyE'), 'tool-eraser'],
  ['v', press('v', 'KeyV'), 'tool-pan'],
  ['Delete (Suppr)', press('Delete', 'Delete'), 'remove-photo'],
  ['Escape', press('Escape', 'Escape'), 'stop-training'],
  // Digits need Shift on AZERTY: the typed digit picks the class, ahead of the Shift+digit-row level toggle.
  ['1 is Shift+&', press('1', 'Digit1', { shift: true }), 'class-1'],
  ['0 is Shift+à', press('0', 'Digit0', { shift: true }), 'class-0'],
  ['numpad 2', press('2', 'Numpad2'), 'class-2'],
  ['& unshifted is no shortcut', press('&', 'Digit1'), undefined],
  ['é unshifted is no shortcut', press('é', 'Digit2'), undefined],
];

const russian: Row[] = [
  ['Ctrl+Z types я: falls back to the Latin position', press('я', 'KeyZ', { ctrl: true }), 'undo'],
  ['и is on the B key', press('и', 'KeyB'), 'tool-brush'],
];

describe('commandForKey', () => {
  for (const [layout, rows] of Object.entries({ us, german, french, russian }))
    describe(layout, () => {
      it.each(rows)('%s', (_what, event, command) => {
        expect(commandForKey(event)?.id).toBe(command);
      });
    });

  it('German + never moves to the next photo, whatever its code', () => {
    for (const e of [press('+', 'BracketRight'), press('+', 'BracketRight', { shift: true })]) expect(commandForKey(e)?.id).toBe('zoom-in');
  });

  it('every shortcut in the registry runs its own command', () => {
    for (const c of commands)
      for (const s of [c.shortcut, ...(c.alternatives ?? [])]) {
        if (!s) continue;
        const e =
          s.code !== undefined
            ? press('§§', s.code, s) // a character no key shortcut uses
            : press(s.shift ? s.key.toUpperCase() : s.key, '', s);
        expect(commandForKey(e)?.id, shortcutLabel(s)).toBe(c.id);
      }
  });

  it('no two commands share a shortcut', () => {
    const labels = commands.flatMap((c) => [c.shortcut, ...(c.alternatives ?? [])]).filter((s) => s !== undefined).map(shortcutLabel);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('shortcutLabel', () => {
  const label = (id: string) => shortcutLabel(commands.find((c) => c.id === id)!.shortcut!);
  it.each([
    ['undo', 'Ctrl+Z'],
    ['redo', 'Ctrl+Shift+Z'],
    ['zoom-in', '+'],
    ['zoom-out', '−'],
    ['next-photo', ']'],
    ['prev-photo', '['],
    ['tool-brush', 'B'],
    ['export-mask', 'Ctrl+S'],
    ['stop-training', 'Esc'],
    ['remove-photo', 'Delete'],
    ['class-3', '3'],
    ['toggle-L1', 'Shift+1'],
    ['toggle-S2', 'Shift+8'],
  ])('%s reads %s', (id, text) => expect(label(id)).toBe(text));
});
