// The filmstrip: a thumbnail per photo and what each has — features, strokes, a segmentation, ground truth.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Photo } from '../state/photoSlice.ts';
import { useStudio } from '../state/studioStore.ts';
import { forgetThumbnails, thumbnailUrl } from './thumbnails.ts';
import './photoStrip.css';

function Thumbnail({ photo }: { photo: Photo }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    let live = true;
    thumbnailUrl(photo).then(
      (u) => live && setUrl(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [photo]);
  return url ? <img className="thumb" src={url} alt="" data-testid="photo-thumb" /> : <span className="thumb pending" />;
}

const BADGES = [
  { key: 'features', text: 'feat', title: 'features ready' },
  { key: 'labelled', text: 'lab', title: 'labelled (has strokes)' },
  { key: 'segmented', text: 'seg', title: 'segmented' },
  { key: 'ground-truth', text: 'GT', title: 'has ground truth' },
] as const;

export function PhotoStrip() {
  const { photos, activePhotoId, selectPhoto, strokes, segmentations, groundTruth } = useStudio(
    useShallow((s) => ({
      photos: s.photos,
      activePhotoId: s.activePhotoId,
      selectPhoto: s.selectPhoto,
      strokes: s.strokes,
      segmentations: s.segmentations,
      groundTruth: s.groundTruth,
    })),
  );
  useEffect(() => forgetThumbnails(new Set(photos.map((p) => p.id))), [photos]);
  return (
    <nav className="photo-strip" aria-label="Photos">
      <h2>Photos</h2>
      {photos.length === 0 && <p className="muted">none yet</p>}
      <ul>
        {photos.map((p) => {
          const has = {
            features: p.status === 'ready',
            labelled: (strokes[p.id]?.length ?? 0) > 0,
            segmented: segmentations[p.id] !== undefined,
            'ground-truth': groundTruth[p.id] !== undefined,
          };
          return (
            <li key={p.id}>
              <button className={`photo-item${p.id === activePhotoId ? ' active' : ''}`} onClick={() => selectPhoto(p.id)} data-testid="photo-item">
                <Thumbnail photo={p} />
                <span className="name">{p.name}</span>
                <span className="muted size">
                  {p.originalWidth}×{p.originalHeight} · {p.status === 'error' ? `error: ${p.error}` : p.status === 'pending' ? 'waiting' : p.status}
                </span>
                <span className="badges">
                  {BADGES.filter((b) => has[b.key]).map((b) => (
                    <span key={b.key} className="badge on" title={b.title} data-testid={`badge-${b.key}`}>
                      {b.text}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
