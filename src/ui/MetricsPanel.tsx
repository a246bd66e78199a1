// Scores of the whole set against its ground truth, live: every open photo with both a ground-truth mask and
// a segmentation, pooled (one confusion matrix): IoU per class, mean IoU, pixel accuracy.
import { useMemo } from 'react';
import { setMetrics } from '../state/metrics.ts';
import { useStudio } from '../state/studioStore.ts';

const percent = (v: number) => (Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)}%`);

export function MetricsPanel() {
  const photos = useStudio((s) => s.photos);
  const groundTruth = useStudio((s) => s.groundTruth);
  const segmentations = useStudio((s) => s.segmentations);
  const superpixels = useStudio((s) => s.superpixels);
  const labelSet = useStudio((s) => s.labelSet);
  const crf = useStudio((s) => s.crf);
  const refinements = useStudio((s) => s.refinements);
  const trainOnTruth = useStudio((s) => s.trainOnGroundTruth);
  // Recomputed only when one of these objects changes (a new segmentation or refinement, a mask, a class edit).
  const metrics = useMemo(
    () => setMetrics({ photos, groundTruth, segmentations, superpixels, crf, refinements, labelSet }),
    [photos, groundTruth, segmentations, superpixels, crf, refinements, labelSet],
  );
  const withTruth = photos.filter((p) => groundTruth[p.id]).length;

  return (
    <section className="panel metrics-panel" aria-label="Metrics" data-testid="metrics-panel">
      <h2>Metrics</h2>
      {!metrics ? (
        <p className="muted" data-testid="metrics-empty">
          {withTruth === 0 ? 'Load ground truth for a photo to score its segmentation' : 'waiting for a segmentation of a photo with ground truth'}
        </p>
      ) : (
        <>
          <p>
            mIoU <strong data-testid="metrics-miou">{percent(metrics.meanIoU)}</strong> · pixel accuracy{' '}
            <strong data-testid="metrics-accuracy">{percent(metrics.pixelAccuracy)}</strong>
          </p>
          <p className="muted" data-testid="metrics-photos">
            over {metrics.photos} of {withTruth} photo{withTruth === 1 ? '' : 's'} with ground truth
          </p>
          {trainOnTruth && (
            <p className="muted" data-testid="metrics-in-sample">
              in-sample: the head trains on this ground truth (turn off “Train on ground truth” to evaluate)
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th>class</th>
                <th>IoU</th>
              </tr>
            </thead>
            <tbody>
              {metrics.classes.map((c) => (
                <tr key={c.index} data-testid="metrics-class" title={c.present ? undefined : 'predicted only: not in the ground truth, not in the mean'}>
                  <td className={c.present ? undefined : 'muted'}>{c.name}</td>
                  <td data-testid="metrics-class-iou">{percent(c.iou)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
