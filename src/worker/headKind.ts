// The heads the studio offers. The thesis's MLP has two hidden layers of 1024 trained on millions of
// superpixels; with a user's few strokes that overfits and is slow, so the studio's MLP is one layer of 256
// with dropout, and the linear head (best with few clicks, findings.md) is the default.
import { LINEAR_HEAD, THESIS_MLP, type HeadConfig } from '../ml/classifierHead.ts';

export type HeadKind = 'linear' | 'mlp';

export function headConfig(kind: HeadKind): HeadConfig {
  return kind === 'mlp' ? { ...THESIS_MLP, hidden: [256] } : LINEAR_HEAD;
}
