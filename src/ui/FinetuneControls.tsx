// Fine-tuning the backbone end to end (thesis §3.5; docs/finetune.md), shown in pixel mode: which blocks train,
// how many steps, the loss per step while it runs (its progress and Cancel are in the task bar), what the
// backbone now carries, and the way back to the pretrained weights. The buttons are the registry's commands.
import { commands } from '../state/commands.ts';
import { FINETUNE_STEPS } from '../state/finetuneSlice.ts';
import { useStudio } from '../state/studioStore.ts';
import type { FinetuneBlocks } from '../worker/finetuneProtocol.ts';
import { CommandButton } from './CommandButton.tsx';
import { LossCurve } from './LossCurve.tsx';

const [run, reset] = ['finetune-backbone', 'reset-backbone'].map((id) => commands.find((c) => c.id === id)!);

const BLOCKS: Record<FinetuneBlocks, string> = { top: 'top block (detector head)', top2: 'top two blocks', all: 'all blocks' };

export function FinetuneControls() {
  const f = useStudio((s) => s.finetune);
  const setSettings = useStudio((s) => s.setFinetuneSettings);
  const status = f.running
    ? (f.progress ?? 'starting')
    : f.error
      ? f.error
      : f.result
        ? `fine-tuned: ${BLOCKS[f.result.blocks]}, ${f.result.losses.length} steps on ${f.result.photos} photo${f.result.photos === 1 ? '' : 's'}, loss ${f.result.losses[0].toFixed(3)} → ${f.result.losses.at(-1)!.toFixed(3)}, ${f.result.stepMs.toFixed(0)} ms a step`
        : 'pretrained backbone';
  return (
    <fieldset className="finetune" data-testid="finetune">
      <legend>Fine-tune the backbone</legend>
      <label>
        Train{' '}
        <select data-testid="finetune-blocks" value={f.blocks} disabled={f.running} onChange={(e) => setSettings({ blocks: e.target.value as FinetuneBlocks })}>
          {Object.entries(BLOCKS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        steps{' '}
        <input
          type="number"
          data-testid="finetune-steps"
          min={FINETUNE_STEPS.min}
          max={FINETUNE_STEPS.max}
          value={f.steps}
          disabled={f.running}
          style={{ width: '5em' }}
          onChange={(e) => setSettings({ steps: e.target.valueAsNumber })}
        />
      </label>
      <div className="row">
        <CommandButton command={run} />
        {f.result && !f.running && <CommandButton command={reset} />}
      </div>
      <p role="status" data-testid="finetune-status" className={f.error && !f.running ? 'error' : 'muted'}>
        {status}
      </p>
      <LossCurve losses={f.losses} testId="finetune-loss-curve" />
      <p className="muted">
        The classifier learns at 1e-4 and the chosen blocks at 1e-5 on random scale-crops of the labelled photos the worker holds. Pixel mode only; saved with the project.
      </p>
    </fieldset>
  );
}
