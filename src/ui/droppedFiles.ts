// What a drop holds, folders included: each dropped directory is walked (webkitGetAsEntry) and its files
// collected, sorted by path, so dropping a photo set with its masks (PNGs, or a COCO instances JSON) opens the
// photos and attaches the masks.
import { isCocoJsonFile } from '../state/groundTruthSlice.ts';

/** Hidden files and OS clutter (.DS_Store, Thumbs.db, desktop.ini) are not photos. */
const isClutter = (name: string) => name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);

/**
 * In a folder, only images and JSON (COCO ground truth) are taken: its notes and CSVs are not reported as
 * broken photos. A JSON that is not COCO gets one message from the import.
 */
const isTaken = (file: File) => file.type.startsWith('image/') || /\.(png|jpe?g|webp|gif|bmp|avif|tiff?)$/i.test(file.name) || isCocoJsonFile(file);

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under the entry, depth first; a directory's entries come in batches until an empty one. */
async function walk(entry: FileSystemEntry, out: { path: string; file: File }[]): Promise<void> {
  if (isClutter(entry.name)) return;
  if (entry.isFile) {
    out.push({ path: entry.fullPath, file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out);
  }
}

/** Files of a folder picked with <input webkitdirectory>: sorted by their path in it, clutter left out. */
export function folderFiles(files: Iterable<File>): File[] {
  return [...files]
    .filter((f) => isTaken(f) && !(f.webkitRelativePath || f.name).split('/').some(isClutter))
    .sort((a, b) => (a.webkitRelativePath || a.name).localeCompare(b.webkitRelativePath || b.name));
}

/**
 * The dropped files, with every dropped folder's files in place of the folder. Entries are taken synchronously
 * (the DataTransfer empties once the drop handler returns); without entry support, the plain file list.
 */
export async function droppedFiles(data: DataTransfer): Promise<File[]> {
  const items = [...data.items].filter((i) => i.kind === 'file');
  const entries = items.map((i) => i.webkitGetAsEntry?.() ?? null);
  if (entries.length === 0 || !entries.some((e) => e?.isDirectory)) return [...data.files];
  // Taken now as well: an item without an entry still has its file.
  const plain = items.map((i) => i.getAsFile());
  const out: File[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry?.isDirectory) {
      const found: { path: string; file: File }[] = [];
      await walk(entry, found);
      found.sort((a, b) => a.path.localeCompare(b.path));
      out.push(...found.map((f) => f.file).filter(isTaken));
    } else if (plain[i]) out.push(plain[i]!);
  }
  return out;
}
