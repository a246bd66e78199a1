// Long tasks in progress (model load, features for a set, training, fine-tuning, export of a set), each with a progress bar
// and the registry command that stops it, in a status bar of fixed height under the workspace: a task coming or
// going never moves the viewer (a resize repaints every layer). A task shows only once it has run for a moment,
// so the tens of milliseconds a stroke trains for do not flicker.
import { useEffect, useState } from 'react';
import { commands } from '../state/commands.ts';
import { useStudio, type StudioState } from '../state/studioStore.ts';
import { CommandButton } from './CommandButton.tsx';

const SHOW_AFTER_MS = 300;

interface Task {
  text: string;
  /** 0..1, or undefined where the task cannot tell how far it is. */
  fraction?: number;
  stop: string;
}

function modelTask(s: StudioState): Task | undefined {
  const { status, progress } = s.model;
  if (status !== 'loading') return undefined;
  return { text: `model: ${progress?.message ?? 'loading'}`, fraction: progress?.fraction, stop: 'cancel-model-load' };
}

function featuresTask(s: StudioState): Task | undefined {
  const p = s.analysisProgress;
  return p && { text: `features: ${p.done} of ${p.total} photos`, fraction: p.done / p.total, stop: 'stop-analysis' };
}

function trainingTask(s: StudioState): Task | undefined {
  return s.training.running ? { text: `training: ${s.training.progress ?? 'running'}`, stop: 'stop-training' } : undefined;
}

function finetuneTask(s: StudioState): Task | undefined {
  const f = s.finetune;
  return f.running ? { text: `fine-tuning: ${f.progress ?? 'starting'}`, fraction: f.fraction, stop: 'cancel-finetune' } : undefined;
}

function exportTask(s: StudioState): Task | undefined {
  const p = s.exportProgress;
  return p && { text: `export: ${p.text}`, fraction: p.fraction, stop: 'cancel-export' };
}

const TASKS = { model: modelTask, features: featuresTask, training: trainingTask, finetune: finetuneTask, export: exportTask };

function TaskRow({ id, pick }: { id: string; pick: (s: StudioState) => Task | undefined }) {
  const running = useStudio((s) => pick(s) !== undefined);
  const text = useStudio((s) => pick(s)?.text);
  const fraction = useStudio((s) => pick(s)?.fraction);
  const stop = useStudio((s) => pick(s)?.stop);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(running), running ? SHOW_AFTER_MS : 0);
    return () => clearTimeout(timer);
  }, [running]);
  const command = commands.find((c) => c.id === stop);
  if (!shown || !running || !command) return null;
  return (
    <span className="task" role="status" data-testid={`task-${id}`}>
      <span className="task-text">{text}</span>
      <progress value={fraction} max={1} aria-label={text} />
      <CommandButton command={command}>{command.id.startsWith('stop') ? 'Stop' : 'Cancel'}</CommandButton>
    </span>
  );
}

export function TaskBar() {
  return (
    <footer className="task-bar" role="group" aria-label="Tasks in progress">
      {Object.entries(TASKS).map(([id, pick]) => (
        <TaskRow key={id} id={id} pick={pick} />
      ))}
    </footer>
  );
}
