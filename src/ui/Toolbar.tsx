// The toolbar reads the command registry, so each button shows the same label and shortcut as the keyboard.
import { commands } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';
import { CommandButton } from './CommandButton.tsx';
import { ExportMenu } from './ExportMenu.tsx';

const SAMPLES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'];
const TOOLBAR_GROUPS = new Set(['file', 'edit', 'view']);

export function Toolbar() {
  const addSample = useStudio((s) => s.addSample);
  return (
    <header className="toolbar">
      <strong className="brand">Zoom-out Studio</strong>
      {commands
        .filter((c) => TOOLBAR_GROUPS.has(c.group) && !c.menu)
        .map((c) => (
          <CommandButton key={c.id} command={c} />
        ))}
      <ExportMenu />
      <select
        data-testid="sample-select"
        aria-label="Add a sample photo"
        value=""
        onChange={(e) => {
          if (e.target.value) void addSample(e.target.value);
        }}
      >
        <option value="">Try a sample…</option>
        {SAMPLES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </header>
  );
}
