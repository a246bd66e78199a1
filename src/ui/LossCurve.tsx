// The training loss per epoch as a small line chart, so the user sees the head converge after each edit.
export function LossCurve({ losses, width = 260, height = 48, testId = 'loss-curve' }: { losses: number[]; width?: number; height?: number; testId?: string }) {
  if (losses.length < 2) return null;
  const max = Math.max(...losses);
  const min = Math.min(...losses);
  const span = max - min || 1;
  const points = losses.map((l, i) => `${((i / (losses.length - 1)) * width).toFixed(1)},${(height - 2 - ((l - min) / span) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="loss-curve" data-testid={testId} width={width} height={height} role="img" aria-label={`loss from ${max.toFixed(3)} to ${losses.at(-1)!.toFixed(3)}`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} />
      <text x={width - 2} y={10} textAnchor="end">
        {losses.at(-1)!.toFixed(3)}
      </text>
    </svg>
  );
}
