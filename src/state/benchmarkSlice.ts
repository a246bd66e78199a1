// "Benchmark this backend": median forward times measured in the worker, shown in the model panel.
import type { StateCreator } from 'zustand';
import type { ForwardTiming } from '../ml/benchmarkForward.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export const BENCHMARK_SIZES = [
  { width: 512, height: 512 },
  { width: 320, height: 320 },
];

export interface BenchmarkSlice {
  benchmark?: { backend: string; running: boolean; timings?: ForwardTiming[] };
  runBenchmark(runs?: number): Promise<void>;
}

export const createBenchmarkSlice: StateCreator<StudioState, [], [], BenchmarkSlice> = (set, get) => ({
  async runBenchmark(runs = 5) {
    const backend = get().model.backend?.name;
    if (!backend) return;
    set({ benchmark: { backend, running: true } });
    try {
      const timings = await studioWorker().request('benchmark', { sizes: BENCHMARK_SIZES, runs });
      set({ benchmark: { backend, running: false, timings } });
    } catch (err) {
      set({ benchmark: undefined });
      get().notify('error', `benchmark: ${(err as Error).message}`);
    }
  },
});
