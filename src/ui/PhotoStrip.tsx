import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../state/studioStore.ts';

export function PhotoStrip() {
  const { photos, activePhotoId, selectPhoto } = useStudio(useShallow((s) => ({ photos: s.photos, activePhotoId: s.activePhotoId, selectPhoto: s.selectPhoto })));
  return (
    <nav className="photo-strip" aria-label="Photos">
      <h2>Photos</h2>
      {photos.length === 0 && <p className="muted">none yet</p>}
      <ul>
        {photos.map((p) => (
          <li key={p.id}>
            <button className={p.id === activePhotoId ? 'active' : ''} onClick={() => selectPhoto(p.id)} data-testid="photo-item">
              <span className="name">{p.name}</span>
              <span className="muted">
                {p.originalWidth}×{p.originalHeight} · {p.status === 'error' ? `error: ${p.error}` : p.status}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
