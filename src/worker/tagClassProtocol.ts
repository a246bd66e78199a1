// Requests for classes learnt from image-level tags (thesis §4.3.1, "adding new classes on the fly"; docs/weak.md):
// the worker keeps the zoom-out features of every tagged photo (they outlive its photo cache), trains one
// class's localization net at a time, and samples suggested points from the nets it holds.
import type { SavedTagClassNet } from '../ml/tagClassNet.ts';

export interface TagClassResult {
  net: SavedTagClassNet;
  /** Photos it learnt from, tagged as showing the class and as not. */
  shows: string[];
  lacks: string[];
  /** Tagged photos whose features the worker did not hold (not analysed since they were tagged). */
  missing: string[];
  /** Mean image-level loss per epoch. */
  losses: number[];
  ms: number;
}

export interface TagClassRequests {
  /** Keeps the photo's zoom-out features for tag training. */
  'tag-photo': { req: { photoId: string }; res: { mapId: number } };
  /** Forgets a photo's kept features (its last tag removed, or the photo closed). */
  'untag-photo': { req: { photoId: string }; res: null };
  /** Trains the named class's net on the photos given; no other class's net changes. */
  'train-tag-class': { req: { name: string; shows: string[]; lacks: string[] }; res: TagClassResult };
  /** The tag-trained nets in use, by class name (a project reopened, a class forgotten): replaces all. */
  'tag-class-nets': { req: { nets: Record<string, SavedTagClassNet> }; res: null };
}
