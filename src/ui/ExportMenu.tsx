// "Export ▾": the toolbar's menu of the export commands (registry commands with `menu: 'export'`), grouped by what
// they export, so the formats don't crowd the toolbar; each item is the command's own button.
import { useEffect, useRef, useState } from 'react';
import { commands, type Command } from '../state/commands.ts';
import { CommandButton } from './CommandButton.tsx';
import './exportMenu.css';

const items = commands.filter((c) => c.menu === 'export');
const sections: { heading: string; pick: (c: Command) => boolean }[] = [
  { heading: 'All labelled photos (one zip)', pick: (c) => c.id !== 'export-head' && !c.id.endsWith('-photo') },
  { heading: 'This photo', pick: (c) => c.id.endsWith('-photo') },
  { heading: 'Model', pick: (c) => c.id === 'export-head' },
];

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div className="export-menu" ref={root}>
      <button data-testid="export-menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        Export ▾
      </button>
      {open && (
        // Clicking an item runs its command and closes the menu.
        <div role="menu" onClick={(e) => (e.target as HTMLElement).closest('button') && setOpen(false)}>
          {sections.map((s) => (
            <div key={s.heading} role="group" aria-label={s.heading} style={{ display: 'contents' }}>
              <div className="export-menu-heading">{s.heading}</div>
              {items.filter(s.pick).map((c) => (
                <CommandButton key={c.id} command={c}>
                  {c.label.replace(/ — (all photos|this photo)$/, '')}
                </CommandButton>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
