import { hotSpots } from './src/report/profile-summary.js'

// Prints the busiest functions of each .cpuprofile given (as written by `pnpm bench --cpu-prof`).
const files = process.argv.slice(2)
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx bench/profile.ts <file.cpuprofile>...\n')
  process.exit(2)
}
for (const file of files) {
  const { spots, busyMs } = hotSpots(file, Number(process.env['TOP'] ?? 15))
  process.stdout.write(`${file}\nbusy ${busyMs.toFixed(0)} ms\n`)
  process.stdout.write('  self ms   self %  total ms  function (location)\n')
  for (const spot of spots) {
    const cells = [
      spot.selfMs.toFixed(0).padStart(8),
      `${(spot.selfShare * 100).toFixed(1)}%`.padStart(8),
      spot.totalMs.toFixed(0).padStart(9),
    ]
    process.stdout.write(`${cells.join(' ')}  ${spot.name} (${spot.location})\n`)
  }
  process.stdout.write('\n')
}
