// The help overlay ('?'): every command of the registry, grouped, with its shortcuts, so the list can never
// drift from what the keys and buttons do. Closes on Escape or a click outside the box.
import { useEffect, useRef } from 'react';
import { commands, shortcutLabel, type Command, type CommandGroup } from '../state/commands.ts';

const GROUPS: { group: CommandGroup; title: string }[] = [
  { group: 'file', title: 'File' },
  { group: 'edit', title: 'Edit' },
  { group: 'view', title: 'View' },
  { group: 'tool', title: 'Tools' },
  { group: 'model', title: 'Model' },
  { group: 'class', title: 'Classes' },
  { group: 'level', title: 'Feature levels' },
  { group: 'task', title: 'Long tasks' },
];

const shortcutsOf = (c: Command) => (c.shortcut ? [c.shortcut, ...(c.alternatives ?? [])] : []);

export function HelpOverlay({ onClose }: { onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    box.current?.focus();
    // Capture on window runs before the studio's shortcut listener: Escape closes help and stops nothing else.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [onClose]);

  return (
    <div
      className="help-backdrop"
      data-testid="help-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={box} className="help" role="dialog" aria-modal="true" aria-labelledby="help-title" tabIndex={-1} data-testid="help-overlay">
        <div className="help-head">
          <h2 id="help-title">Commands and shortcuts</h2>
          <button type="button" onClick={onClose} data-testid="help-close" aria-label="Close help">
            ×
          </button>
        </div>
        {GROUPS.map(({ group, title }) => (
          <section key={group} data-testid={`help-group-${group}`}>
            <h3>{title}</h3>
            <table>
              <tbody>
                {commands
                  .filter((c) => c.group === group)
                  .map((c) => (
                    <tr key={c.id} data-testid={`help-${c.id}`}>
                      <td>{c.label}</td>
                      <td className="help-keys">
                        {shortcutsOf(c).map((s) => (
                          <kbd key={shortcutLabel(s)}>{shortcutLabel(s)}</kbd>
                        ))}
                      </td>
                      <td className="help-id">{c.id}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  );
}
