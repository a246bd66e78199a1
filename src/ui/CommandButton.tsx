// A button for a registry command: the same label, shortcut hint, enabled and active state wherever shown.
import { createContext, useContext, type ReactNode } from 'react';
import { shortcutLabel, type Command, type CommandContext } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';

export type UiContext = Omit<CommandContext, 'state'>;

export const UiCommandContext = createContext<UiContext>({ openFilePicker: () => undefined, openGroundTruthPicker: () => undefined, openProjectPicker: () => undefined, fitView: () => undefined });

export function CommandButton({ command, children }: { command: Command; children?: ReactNode }) {
  const ui = useContext(UiCommandContext);
  const enabled = useStudio((s) => command.enabled(s));
  const active = useStudio((s) => command.active?.(s) ?? false);
  return (
    <button
      data-testid={`cmd-${command.id}`}
      className={active ? 'active' : undefined}
      aria-pressed={command.active ? active : undefined}
      disabled={!enabled}
      title={command.shortcut ? `${command.label} (${shortcutLabel(command.shortcut)})` : command.label}
      onClick={() => command.run({ ...ui, state: useStudio.getState() })}
    >
      {children ?? command.label}
    </button>
  );
}
