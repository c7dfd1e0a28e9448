// Node flags each app runs with wherever it runs as shipped: `npm start` (launch.mjs), the
// bench and the end-to-end tests that start the bundles.
//
// The worker allocates quickly and briefly (a request, a result, a log line per attempt). Its
// live heap stays near 21 MB (heap snapshot at the peak of the 20-webhook fan-out bench), but V8,
// seeing gigabytes free, let garbage pile up to 60–75 MB before collecting it: peak RSS 167–193
// MB in that run. With smaller semi-spaces and V8's memory-over-speed heuristics the same run
// peaked at 119–120 MB, and the steady and e2e runs at 98–115 MB instead of 121–138 MB; no
// throughput was lost in the bench. Neither flag caps the heap, so a large live set still fits.
export const NODE_FLAGS = {
  api: [],
  worker: ['--max-semi-space-size=4', '--optimize-for-size'],
  mock: [],
}
