import { describe, expect, it } from 'vitest';
import { droppedFiles, folderFiles } from './droppedFiles.ts';

const file = (name: string, path = name) => Object.assign(new File(['x'], name, { type: name.endsWith('.txt') ? 'text/plain' : '' }), { fullPath: `/${path}` });

/** A fake FileSystemEntry tree: a directory's reader hands out its children in batches of two. */
function entry(path: string, children?: unknown[]): FileSystemEntry {
  const name = path.split('/').pop()!;
  if (!children) {
    const f = file(name, path);
    return { name, fullPath: `/${path}`, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(f) } as unknown as FileSystemEntry;
  }
  return {
    name,
    fullPath: `/${path}`,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0;
      return { readEntries: (ok: (e: unknown[]) => void) => ok(children.slice(at, (at += 2))) };
    },
  } as unknown as FileSystemEntry;
}

function transfer(items: { entry: FileSystemEntry | null; file: File | null }[]): DataTransfer {
  return {
    files: items.map((i) => i.file).filter(Boolean),
    items: items.map((i) => ({ kind: 'file', webkitGetAsEntry: () => i.entry, getAsFile: () => i.file })),
  } as unknown as DataTransfer;
}

describe('droppedFiles', () => {
  it('walks dropped folders (every batch, nested), keeps images only, sorted by path, plain files in place', async () => {
    const set = entry('set', [
      entry('set/b.jpg'),
      entry('set/.DS_Store'),
      entry('set/notes.txt'),
      entry('set/a.png'),
      entry('set/masks', [entry('set/masks/a_mask.png')]),
      entry('set/instances.json'),
    ]);
    const loose = file('loose.png');
    const names = (await droppedFiles(transfer([{ entry: entry('loose.png'), file: loose }, { entry: set, file: null }]))).map((f) => f.name);
    expect(names).toEqual(['loose.png', 'a.png', 'b.jpg', 'instances.json', 'a_mask.png']);
  });

  it('is the plain file list when nothing dropped is a folder', async () => {
    const f = file('notes.txt');
    expect(await droppedFiles(transfer([{ entry: entry('notes.txt'), file: f }]))).toEqual([f]);
  });
});

describe('folderFiles', () => {
  it('keeps images and COCO JSON by relative path, without hidden files', () => {
    const pick = (path: string) => Object.assign(new File(['x'], path.split('/').pop()!), { webkitRelativePath: path }) as File;
    const files = [pick('set/z.png'), pick('set/.hidden/x.png'), pick('set/a.JPG'), pick('set/readme.md'), pick('set/instances.json')];
    expect(folderFiles(files).map((f) => f.webkitRelativePath)).toEqual(['set/a.JPG', 'set/instances.json', 'set/z.png']);
  });
});
