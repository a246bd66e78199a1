// The toolbar reads the command registry, so each button shows the same label and shortcut as the keyboard.
import { commands, shortcutLabel, type CommandContext } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';

const SAMPLES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'];

export function Toolbar({ context }: { context: Omit<CommandContext, 'state'> }) {
  const state = useStudio();
  return (
    <header className="toolbar">
      <strong className="brand">Zoom-out Studio</strong>
      {commands.map((c) => (
        <button
          key={c.id}
          data-testid={`cmd-${c.id}`}
          disabled={!c.enabled(state)}
          title={c.shortcut ? `${c.label} (${shortcutLabel(c.shortcut)})` : c.label}
          onClick={() => c.run({ ...context, state: useStudio.getState() })}
        >
          {c.label}
        </button>
      ))}
      <select
        data-testid="sample-select"
        value=""
        onChange={(e) => {
          if (e.target.value) void state.addSample(e.target.value);
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
