// Node flags each app runs with wherever it runs as shipped: `npm start` (launch.mjs), the
// bench and the end-to-end tests that start the bundles.
//
// The worker allocates quickly and briefly (a request, a result, a log line per attempt), and
// V8 answers that by growing its young generation towards 3 × 16 MB: measured in the bench, the
// worker's peak RSS went from 121–172 MB to 99–107 MB with 4 MB semi-spaces, at the same
// throughput (6,919 vs 6,959 deliveries/s over 400,000). The API showed no such gain.
export const NODE_FLAGS = {
  api: [],
  worker: ['--max-semi-space-size=4'],
  mock: [],
}
