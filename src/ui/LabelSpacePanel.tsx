// Label space (thesis §5.3.1, §5.4.3; docs/labelAutoencoder.md): the active photo's segmentation beside what
// the label autoencoder makes of it, where the two disagree, their agreement; and the gallery of label-space
// search (Fig. 5.7), each found region framed on its photo, a click opening that photo.
import { useEffect, useRef } from 'react';
import { exportPalette, type Rgb } from '../core/labelSets.ts';
import type { Box } from '../core/labelSpaceSearch.ts';
import { commands } from '../state/commands.ts';
import type { Photo } from '../state/photoSlice.ts';
import { useStudio } from '../state/studioStore.ts';
import { CommandButton } from './CommandButton.tsx';
import { classIndexOverlay, toImageData } from './superpixelOverlay.ts';

const findSimilar = commands.find((c) => c.id === 'find-similar')!;
const percent = (v: number) => (Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)}%`);
const THUMB_WIDTH = 96;
const WHITE: Rgb = [255, 255, 255];

function putPixels(canvas: HTMLCanvasElement | null, image: ImageData): void {
  if (!canvas) return;
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
}

/** Agreeing pixels in a faint version of their class colour, disagreeing ones in red. */
function disagreementImage(original: Uint8Array, reconstruction: Uint8Array, width: number, height: number, palette: readonly Rgb[]): ImageData {
  const image = new ImageData(width, height);
  const out = image.data;
  // Channel by channel: an array per pixel made this a garbage-collection storm on every segmentation change.
  for (let p = 0, o = 0; p < original.length; p++, o += 4) {
    const colour = palette[original[p]] ?? WHITE;
    const agree = original[p] === reconstruction[p];
    out[o] = agree ? (colour[0] + 3 * 160) / 4 : 230;
    out[o + 1] = agree ? (colour[1] + 3 * 160) / 4 : 20;
    out[o + 2] = agree ? (colour[2] + 3 * 160) / 4 : 20;
    out[o + 3] = 255;
  }
  return image;
}

const photoCanvases = new WeakMap<ImageData, HTMLCanvasElement>();

/** The photo's working copy on a canvas, made once, to draw scaled. */
function photoCanvas(working: ImageData): HTMLCanvasElement {
  let canvas = photoCanvases.get(working);
  if (!canvas) {
    canvas = document.createElement('canvas');
    putPixels(canvas, working);
    photoCanvases.set(working, canvas);
  }
  return canvas;
}

/** A photo scaled to the thumbnail width with a box framed on it, as Fig. 5.7 shows regions. */
function RegionThumb({ photo, box, colour, testId, title, onClick }: { photo: Photo; box: Box; colour: string; testId: string; title: string; onClick?: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const { width, height } = photo.working;
    const scale = THUMB_WIDTH / width;
    c.width = THUMB_WIDTH;
    c.height = Math.max(1, Math.round(height * scale));
    ctx.drawImage(photoCanvas(photo.working), 0, 0, c.width, c.height);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.strokeRect(box.x0 * scale + 1, box.y0 * scale + 1, Math.max(1, (box.x1 - box.x0) * scale - 2), Math.max(1, (box.y1 - box.y0) * scale - 2));
  }, [photo, box, colour]);
  return (
    <button className="region-thumb" style={{ padding: 2 }} data-testid={testId} title={title} onClick={onClick} disabled={!onClick}>
      <canvas ref={canvas} style={{ width: THUMB_WIDTH }} />
    </button>
  );
}

function LabelSpaceView() {
  const view = useStudio((s) => (s.labelSpace?.photoId === s.activePhotoId ? s.labelSpace : undefined));
  const labelSet = useStudio((s) => s.labelSet);
  const original = useRef<HTMLCanvasElement>(null);
  const reconstructed = useRef<HTMLCanvasElement>(null);
  const disagreement = useRef<HTMLCanvasElement>(null);
  const shown = view?.status === 'ready' ? { pixels: view.pixels, result: view.result } : view?.status === 'running' ? view.previous : undefined;

  const shownPixels = shown?.pixels;
  const shownResult = shown?.result;

  useEffect(() => {
    if (!shownPixels || !shownResult) return;
    const palette = exportPalette(labelSet);
    const { width, height, classes } = shownPixels;
    putPixels(original.current, toImageData(classIndexOverlay(classes, width, height, palette)));
    putPixels(reconstructed.current, toImageData(classIndexOverlay(shownResult.reconstruction, width, height, palette)));
    putPixels(disagreement.current, disagreementImage(classes, shownResult.reconstruction, width, height, palette));
  }, [shownPixels, shownResult, labelSet]);

  if (!view) return <p className="muted" data-testid="label-space-empty">waiting for the active photo’s segmentation</p>;
  if (view.status === 'unavailable') return <p className="muted" data-testid="label-space-unavailable">Unavailable: {view.reason}</p>;
  return (
    <div data-testid="label-space-view" data-status={view.status}>
      {!shown ? (
        <p className="muted" data-testid="label-space-running">passing the segmentation through the label autoencoder…</p>
      ) : (
        <>
          <div className="label-space-maps" style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 4, opacity: view.status === 'running' ? 0.6 : 1 }}>
            <figure style={{ margin: 0, minWidth: 0 }}>
              <canvas ref={original} style={{ width: '100%' }} data-testid="label-space-original" />
              <figcaption className="muted">segmentation</figcaption>
            </figure>
            <figure style={{ margin: 0, minWidth: 0 }}>
              <canvas ref={reconstructed} style={{ width: '100%' }} data-testid="label-space-reconstruction" />
              <figcaption className="muted">label model</figcaption>
            </figure>
            <figure style={{ margin: 0, minWidth: 0 }}>
              <canvas ref={disagreement} style={{ width: '100%' }} data-testid="label-space-disagreement" />
              <figcaption className="muted">disagreement (red)</figcaption>
            </figure>
          </div>
          <p>
            agreement: pixel accuracy <strong data-testid="label-space-accuracy">{percent(shown.result.pixelAccuracy)}</strong> · mIoU{' '}
            <strong data-testid="label-space-miou">{percent(shown.result.meanIoU)}</strong>
          </p>
          <p className="muted" data-testid="label-space-time">
            {shown.result.ms.toFixed(0)} ms · where the label model redraws the map, the layout looks implausible to it (or too fine for its 6×6 code)
          </p>
        </>
      )}
    </div>
  );
}

function LabelSearchGallery() {
  const search = useStudio((s) => s.labelSearch);
  const photos = useStudio((s) => s.photos);
  const selectPhoto = useStudio((s) => s.selectPhoto);
  const labelSet = useStudio((s) => s.labelSet);
  if (!search) return <p className="muted">Pick “Find similar regions”, then click a region of the photo.</p>;
  if (search.status === 'running') return <p className="muted" data-testid="label-search-running">searching label space…</p>;
  // The slice drops closed photos from a search; the lookup only pairs each region with its photo.
  const byId = new Map(photos.map((p) => [p.id, p]));
  const queryPhoto = byId.get(search.photoId);
  const found = search.matches.flatMap((m) => {
    const photo = byId.get(m.photoId);
    return photo ? [{ ...m, photo }] : [];
  });
  return (
    <div data-testid="label-search-results">
      <p className="muted">
        {labelSet.classes[search.query.classIndex]?.name ?? `class ${search.query.classIndex}`} region · {found.length} nearest by bottleneck features · {search.ms.toFixed(0)} ms
      </p>
      <div className="region-gallery" style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {queryPhoto && <RegionThumb photo={queryPhoto} box={search.query.box} colour="#2ecc40" testId="label-search-query" title={`query: ${queryPhoto.name}`} />}
        {found.map((m, i) => (
          <RegionThumb
            key={i}
            photo={m.photo}
            box={m.box}
            colour="#ff851b"
            testId="label-search-match"
            title={`${m.photo.name} · distance ${m.distance.toFixed(3)} (click to open)`}
            onClick={() => selectPhoto(m.photoId)}
          />
        ))}
      </div>
    </div>
  );
}

export function LabelSpacePanel() {
  return (
    <section className="panel label-space-panel" aria-label="Label space" data-testid="label-space-panel">
      <h2>Label space</h2>
      <LabelSpaceView />
      <h3>Similar regions</h3>
      <div className="row">
        <CommandButton command={findSimilar} />
      </div>
      <LabelSearchGallery />
    </section>
  );
}
