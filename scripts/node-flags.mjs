// Node flags each app runs with wherever it runs as shipped: `npm start` (launch.mjs), the
// bench and the end-to-end tests that start the bundles.
//
// The worker allocates quickly and briefly (a request, a result, a log line per attempt). Its
// live heap stays near 21 MB (heap snapshot at the peak of the 20-webhook fan-out bench), but V8,
// seeing gigabytes free, let garbage pile up to 60–75 MB before collecting it: peak RSS 146–193
// MB in that run. With these flags the worker peaked at 97–120 MB in every bench run (fan-out
// 120 MB). The price is CPU: 15–60 % more worker CPU per delivery in the throughput runs
// (fan-out 0.17 ms instead of 0.10–0.12 ms), which cost fan-out throughput (5,963/s against
// 6,976–7,802/s) but not the single-webhook end-to-end figure, where the worker is not the limit.
// Neither flag caps the heap, so a large live set still fits.
export const NODE_FLAGS = {
  api: [],
  worker: ['--max-semi-space-size=4', '--optimize-for-size'],
  mock: [],
}
