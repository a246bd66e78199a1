import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../state/studioStore.ts';

export function Messages() {
  const { messages, dismiss } = useStudio(useShallow((s) => ({ messages: s.messages, dismiss: s.dismiss })));
  return (
    <div className="messages" role="status" aria-live="polite">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.level}`} data-testid={`message-${m.level}`}>
          <span>{m.text}</span>
          <button aria-label="Dismiss" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
