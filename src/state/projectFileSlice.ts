// Project files: the whole project (every photo's file, every part of the document) exported as one zip and
// opened again (core/projectArchive.ts). Opening one replaces the open project as one undoable edit; a file
// that is not a sound project file is refused with one message and changes nothing.
import type { StateCreator } from 'zustand';
import { ProjectError, type ProjectDocument } from '../core/project.ts';
import { DEFAULT_ARCHIVE_LIMITS, decodeProjectArchive, encodeProjectArchive, type ArchiveFile } from '../core/projectArchive.ts';
import { decodePhoto } from './decodePhoto.ts';
import { projectDocument } from './persistence.ts';
import { storedPhotos } from './photoSlice.ts';
import { withoutPhoto } from './photoParts.ts';
import { deletePhoto, savePhoto } from './projectStorage.ts';
import { download } from './download.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface ProjectFileSlice {
  /** Downloads the project as `<first photo>.zoomout.zip`. */
  exportProject(): Promise<void>;
  /** Opens a project file in place of the open project (undoable); refuses a bad one, changing nothing. */
  importProject(file: File): Promise<void>;
  /** Closes every photo and removes it from storage; not an edit of its own (importProject records one). */
  clearProject(): void;
}

export const PROJECT_FILE_SUFFIX = '.zoomout.zip';

/** Whether a dropped or picked file is a project file rather than a photo. */
export const isProjectFile = (file: File): boolean => /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';

/** The open project as a project file holds it: the work, without the session's undo steps. */
export function currentDocument(s: StudioState): ProjectDocument {
  const document = projectDocument(s);
  const { history: _history, ...parts } = document.parts;
  return { ...document, parts };
}

const stem = (name: string) => name.replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|]+/g, '_').trim() || 'project';

export const createProjectFileSlice: StateCreator<StudioState, [], [], ProjectFileSlice> = (set, get) => {
  /** Replacements run one after another: an undo during an import waits for the import to finish. */
  let replacing: Promise<void> = Promise.resolve();

  /**
   * Closes everything, then opens `document` with its files (its view part says which photo is shown). The
   * photos are written to storage first, as the document has them, so a reload while they are still being
   * analysed finds them.
   */
  const replaceWith = (document: ProjectDocument, files: Map<string, Blob>) => {
    replacing = replacing
      .then(async () => {
        get().clearProject();
        for (const { parts, ...envelope } of document.photos) {
          const file = files.get(envelope.id);
          if (!file) continue;
          savePhoto({ ...envelope, file }, parts).catch((err: Error) => {
            storedPhotos.delete(envelope.id);
            get().notify('error', `${envelope.name} could not be saved (${err.message}); it stays open, but will not be there after a reload`);
          });
        }
        // The open session's undo history stays (it holds this very step); the file's own history does not apply.
        const { history: _history, ...parts } = document.parts;
        await get().openDocument({ ...document, parts }, files);
        // A photo that could not be reopened (reported already) is not left in storage either.
        for (const photo of document.photos) if (!get().photos.some((p) => p.id === photo.id)) void deletePhoto(photo.id).catch(() => undefined);
      })
      .catch((err: Error) => get().notify('error', `the project could not be opened: ${err.message}`));
  };

  return {
    async exportProject() {
      // Not half-way through opening a project.
      await replacing;
      const s = get();
      if (s.photos.length === 0) {
        s.notify('error', 'nothing to export: open a photo first');
        return;
      }
      try {
        const document = currentDocument(s);
        const files = new Map<string, ArchiveFile>();
        for (const p of s.photos) files.set(p.id, { bytes: new Uint8Array(await p.file.arrayBuffer()), mime: p.file.type });
        const first = [...s.photos].sort((a, b) => a.order - b.order)[0];
        download(encodeProjectArchive(document, files), `${stem(first.name)}${PROJECT_FILE_SUFFIX}`, 'application/zip');
      } catch (err) {
        get().notify('error', `the project could not be exported: ${(err as Error).message}`);
      }
    },

    async importProject(file) {
      let document: ProjectDocument;
      const files = new Map<string, Blob>();
      try {
        if (file.size > DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes) throw new ProjectError('the file is larger than any project file may be');
        const archive = await decodeProjectArchive(new Uint8Array(await file.arrayBuffer()));
        document = archive.document;
        for (const photo of document.photos) {
          const { bytes, mime } = archive.files.get(photo.id)!;
          const blob = new Blob([bytes as BlobPart], { type: mime });
          // The browser must read each photo, at the size the project says, before anything is replaced.
          let decoded;
          try {
            decoded = await decodePhoto(blob);
          } catch (err) {
            throw new ProjectError(`${photo.name} in it cannot be read (${(err as Error).message})`);
          }
          if (decoded.originalWidth !== photo.originalWidth || decoded.originalHeight !== photo.originalHeight) {
            throw new ProjectError(`${photo.name} in it is ${decoded.originalWidth}×${decoded.originalHeight}, not ${photo.originalWidth}×${photo.originalHeight} as the project says`);
          }
          files.set(photo.id, blob);
        }
      } catch (err) {
        const message = err instanceof ProjectError ? err.message : `it could not be read (${(err as Error).message})`;
        get().notify('error', `${file.name} was not opened: ${message}`);
        return;
      }

      const before = currentDocument(get());
      const beforeFiles = new Map(get().photos.map((p) => [p.id, p.file]));
      get().record({
        label: `open ${file.name}`,
        apply: () => replaceWith(document, files),
        revert: () => replaceWith(before, beforeFiles),
      });
      await replacing;
      const n = document.photos.length;
      get().notify('info', `${file.name} opened: ${n} photo${n === 1 ? '' : 's'}`, { label: 'Undo', commandId: 'undo' });
    },

    clearProject() {
      let patch: Partial<StudioState> = {};
      for (const photo of get().photos) {
        storedPhotos.delete(photo.id);
        void deletePhoto(photo.id).catch((err: Error) => get().notify('error', `${photo.name} could not be removed from storage: ${err.message}`));
        void studioWorker()
          .request('forget', { photoId: photo.id })
          .catch(() => undefined);
        patch = { ...patch, ...withoutPhoto({ ...get(), ...patch }, photo.id) };
      }
      set({ ...patch, photos: [], activePhotoId: undefined, heatmapData: undefined });
    },
  };
};
