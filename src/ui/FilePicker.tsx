// A hidden file input that a command opens (Open…, Open folder…, Load ground truth…, Open project…): hands over
// what was picked and empties itself, so picking the same file again still counts.
import type { Ref } from 'react';

interface FilePickerProps {
  ref: Ref<HTMLInputElement>;
  testId: string;
  accept?: string;
  multiple?: boolean;
  /** Picks a folder: every file under it (Chromium's and Firefox's webkitdirectory). */
  folder?: boolean;
  onPick(files: File[]): void;
}

export function FilePicker({ ref, testId, accept, multiple, folder, onPick }: FilePickerProps) {
  return (
    <input
      ref={ref}
      type="file"
      accept={accept}
      multiple={multiple}
      hidden
      data-testid={testId}
      {...(folder ? { webkitdirectory: '' } : {})}
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        if (files.length) onPick(files);
      }}
    />
  );
}
