// Node flags each app runs with wherever it runs as shipped: `npm start` (launch.mjs), the
// bench and the end-to-end tests that start the bundles.
//
// The worker allocates quickly and briefly (a request, a result, a log line per attempt), and
// V8 answers that by growing its young generation towards 3 × 16 MB. Measured in the bench with
// 4 MB semi-spaces: the worker's peak RSS in the steady, e2e and long runs went from 121–138 MB
// to 98–115 MB at the same throughput (6,919 vs 6,959 deliveries/s over 400,000); the 20-webhook
// fan-out run stayed at 167–193 MB either way (not understood yet). The API showed no gain.
export const NODE_FLAGS = {
  api: [],
  worker: ['--max-semi-space-size=4'],
  mock: [],
}
