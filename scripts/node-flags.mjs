// Node flags each app runs with wherever it runs as shipped: `npm start` (launch.mjs), the
// bench and the end-to-end tests that start the bundles.
//
// The worker allocates quickly and briefly (a request, a result, a log line per attempt). Its
// live heap stays near 21 MB (heap snapshot at the peak of the 20-webhook fan-out bench), but
// with V8's defaults the young generation grows to 16 MB semi-spaces and the old generation is
// let grow several-fold between full collections: peak RSS 139–189 MB in the bench runs.
//
// A smaller young generation and a 1.2 × old-generation growth step keep it at 124–141 MB for
// about the CPU of the defaults (one 2-core machine, two runs of e2e-batch and fan-out each:
// worker CPU 3.8–4.8 s and 5.4–6.2 s per 100,000 deliveries, against 4.1–4.2 s and 4.7–4.9 s
// with no flags). `--optimize-for-size`, used before, cut RSS a little more (115–123 MB) but
// doubled the worker's CPU in fan-out (9–10 s). Neither flag caps the heap, so a large live set
// still fits.
export const NODE_FLAGS = {
  api: [],
  worker: ['--max-semi-space-size=8', '--heap-growing-percent=20'],
  mock: [],
}
