import { useContext } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { commands } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';
import { UiCommandContext } from './CommandButton.tsx';

export function Messages() {
  const { messages, dismiss } = useStudio(useShallow((s) => ({ messages: s.messages, dismiss: s.dismiss })));
  const ui = useContext(UiCommandContext);
  return (
    <div className="messages" role="status" aria-live="polite">
      {messages.map((m) => {
        const command = m.action && commands.find((c) => c.id === m.action!.commandId);
        return (
          <div key={m.id} className={`message ${m.level}`} data-testid={`message-${m.level}`}>
            <span>{m.text}</span>
            {command && (
              <button
                data-testid="message-action"
                onClick={() => {
                  const state = useStudio.getState();
                  if (command.enabled(state)) command.run({ ...ui, state });
                  dismiss(m.id);
                }}
              >
                {m.action!.label}
              </button>
            )}
            <button aria-label="Dismiss" onClick={() => dismiss(m.id)}>
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
