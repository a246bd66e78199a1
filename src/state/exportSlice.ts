// Exports of the labelled photos in formats other tools read (docs/exports.md): VOC / CVAT masks, per-class masks,
// COCO JSON, YOLO segmentation and colour overlays, of the active photo or of every labelled photo, as one download.
// Masks are painted from the segmentation at working size and resized (nearest) to the photo's original size,
// orientation as displayed; the files and their layout are core/exportLayout.ts's, shared with `cli export`.
// Also the trained head, as the JSON `cli export --head` reads.
import { strToU8, zipSync } from 'fflate';
import type { StateCreator } from 'zustand';
import { EXPORT_FORMAT_LABELS, exportDownload, type ExportFormat, type ExportPhoto } from '../core/exportLayout.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { WorkerError } from '../worker/protocol.ts';
import { download } from './download.ts';
import { originalPixels } from './originalPixels.ts';
import { segmentationPixels } from './segmentationPixels.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export type ExportScope = 'photo' | 'all';

export interface ExportSlice {
  /** What an export in progress is doing, and how far it is (0..1); undefined when none runs. */
  exportProgress?: { text: string; fraction: number };
  /** Exports the active photo ('photo') or every photo with a segmentation ('all') in `format`: one download. */
  exportSet(format: ExportFormat, scope: ExportScope): Promise<void>;
  /** Downloads the last trained head (the CLI's `--head` file). */
  exportHead(): Promise<void>;
  /** Stops the export in progress; nothing is downloaded. */
  cancelExport(): void;
}

/**
 * Photos an export of `scope` would write: those with labels for their current superpixels, and once a head is
 * trained every other photo too, which the export labels with it first (segmentationSlice's bringUpToDate).
 * Checked without painting, since the export commands' `enabled` runs on every change.
 */
export function exportablePhotos(s: Pick<StudioState, 'photos' | 'activePhotoId' | 'segmentations' | 'superpixels' | 'segmentationRun'>, scope: ExportScope) {
  const candidates = scope === 'photo' ? s.photos.filter((p) => p.id === s.activePhotoId) : s.photos;
  return candidates.filter((p) => {
    const seg = s.segmentations[p.id];
    return (seg !== undefined && seg.mapId === s.superpixels[p.id]?.mapId) || (s.segmentationRun !== undefined && p.status !== 'error');
  });
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export const createExportSlice: StateCreator<StudioState, [], [], ExportSlice> = (set, get) => {
  let running: AbortController | undefined;

  return {
    exportProgress: undefined,

    cancelExport() {
      running?.abort();
    },

    async exportSet(format, scope) {
      if (get().exportProgress !== undefined) {
        get().notify('info', 'an export is already running');
        return;
      }
      const s = get();
      const photos = exportablePhotos(s, scope);
      if (photos.length === 0) {
        s.notify('error', scope === 'photo' ? 'nothing to export: this photo has no labels yet (paint a few strokes first)' : 'nothing to export: no photo has labels yet (paint a few strokes first)');
        return;
      }
      const what = EXPORT_FORMAT_LABELS[format];
      const { labelSet, segmentationOpacity } = s;
      const controller = new AbortController();
      running = controller;
      try {
        const out: ExportPhoto[] = [];
        for (const [i, photo] of photos.entries()) {
          set({ exportProgress: { text: `${what}: photo ${i + 1} of ${photos.length}`, fraction: i / (photos.length + 1) } });
          await nextTask(); // let the task bar show it, and a cancel reach here
          if (controller.signal.aborted) break;
          // Labels from before the last training (a photo the worker had evicted) are relabelled by the current head.
          await get().bringUpToDate(photo.id);
          if (get().crf) await get().refinePhoto(photo.id);
          const seg = segmentationPixels(get(), photo.id) ?? segmentationPixels(s, photo.id);
          if (!seg) throw new Error(`${photo.name} could not be labelled`);
          const { originalWidth: width, originalHeight: height } = photo;
          const classes = resizeNearest(seg.classes, seg.width, seg.height, width, height);
          out.push({ name: photo.name, width, height, classes, rgba: format === 'overlay' ? await originalPixels(photo) : undefined });
        }
        if (controller.signal.aborted) {
          get().notify('info', `export of ${what} cancelled: nothing was downloaded`);
          return;
        }
        set({ exportProgress: { text: `${what}: writing`, fraction: photos.length / (photos.length + 1) } });
        await nextTask();
        const file = exportDownload(format, out, labelSet, { single: scope === 'photo', overlayAlpha: segmentationOpacity });
        download(file.bytes, file.name, file.type);
        const left = scope === 'all' ? s.photos.length - photos.length : 0;
        get().notify('info', `exported ${what} of ${photos.length} photo${photos.length === 1 ? '' : 's'} as ${file.name}${left ? ` (${left} without labels left out)` : ''}`);
      } catch (err) {
        get().notify('error', `export failed: ${(err as Error).message}`);
      } finally {
        running = undefined;
        set({ exportProgress: undefined });
      }
    },

    async exportHead() {
      const { labelSet } = get();
      try {
        const { head, backbone } = await studioWorker().request('exportHead', { labelSet: labelSet.id });
        const stem = `zoomout-head-${labelSet.id}`;
        // The label set's names and colours travel with the head, so `cli export` names classes as the studio does.
        const saved = { ...head, ...(head.classes === labelSet.classes.length ? { labelClasses: labelSet.classes } : {}) };
        if (!backbone) {
          download(new TextEncoder().encode(JSON.stringify(saved)), `${stem}.json`, 'application/json');
          get().notify('info', `exported the trained head (${head.classes} classes, levels ${head.levels.join(', ')})`);
          return;
        }
        // A head on a fine-tuned backbone needs its weights: both in one zip, laid out as `cli train --finetune` writes them.
        const { data, ...file } = backbone;
        const json = JSON.stringify({ ...saved, backbone: { ...file, weights: `${stem}.backbone.bin` } });
        download(zipSync({ [`${stem}.json`]: strToU8(json), [`${stem}.backbone.bin`]: data }), `${stem}.zip`, 'application/zip');
        get().notify('info', `exported the trained head and the fine-tuned backbone (${backbone.finetune}) as ${stem}.zip`);
      } catch (err) {
        const text = err instanceof WorkerError && err.code === 'no-labels' ? 'no trained head yet: paint a few strokes first' : `head export failed: ${(err as Error).message}`;
        get().notify('error', text);
      }
    },
  };
};
