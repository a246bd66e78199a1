// A new class from image-level tags (thesis §4.3.1, "adding new classes on the fly"; docs/weak.md), for the active
// class: tag the active photo as showing it or not, see how many photos are tagged, learn the class's
// localization net from them (only that class's), and forget it again. New classes come from the label editor.
import { useShallow } from 'zustand/react/shallow';
import { commands } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';
import { taggedPhotos } from '../state/tagClassSlice.ts';
import { CommandButton } from './CommandButton.tsx';

const command = (id: string) => commands.find((c) => c.id === id)!;
const TAG_BUTTONS = [
  [command('tag-shows'), 'Shows it'],
  [command('tag-lacks'), 'Lacks it'],
] as const;
const TRAIN = command('train-tag-class');
const FORGET = command('forget-tag-class');

export function TagClassSection() {
  const name = useStudio((s) => (s.activeClass > 0 ? s.labelSet.classes[s.activeClass]?.name : undefined));
  const [shows, lacks] = useStudio(
    useShallow((s) => {
      const tagged = name ? taggedPhotos(s, name) : { shows: [], lacks: [] };
      return [tagged.shows.length, tagged.lacks.length];
    }),
  );
  const learnt = useStudio((s) => (name ? s.tagClasses[name] : undefined));
  const training = useStudio((s) => s.tagTraining);
  if (!name) {
    return (
      <p className="muted" data-testid="tag-class-status">
        Pick a class (not background) to teach it from tags.
      </p>
    );
  }
  return (
    <div data-testid="tag-class">
      <h3>{name} from tags</h3>
      <div className="row">
        <span>This photo:</span>
        {TAG_BUTTONS.map(([c, label]) => (
          <CommandButton key={c.id} command={c}>
            {label}
          </CommandButton>
        ))}
      </div>
      <p className="muted" data-testid="tag-class-counts">
        Tagged: {shows} showing {name}, {lacks} without.
      </p>
      <p className="muted" data-testid="tag-class-status">
        {training?.name === name
          ? `learning ${name}: ${training.message}`
          : learnt
            ? `learnt from ${learnt.shows} + ${learnt.lacks} photos (loss ${learnt.losses[0]?.toFixed(2)} → ${learnt.losses.at(-1)?.toFixed(2)}); its map replaces the detector's`
            : `not learnt: ${name}'s suggestions come from the detector${shows && lacks ? '' : ' (tag photos both ways to learn it)'}`}
      </p>
      <div className="row">
        <CommandButton command={TRAIN}>Learn {name} from tags</CommandButton>
        <CommandButton command={FORGET}>Forget</CommandButton>
      </div>
    </div>
  );
}
