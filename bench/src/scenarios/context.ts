import type { BenchOptions } from '../flags.js'
import type { Receiver } from '../receiver/receiver.js'

/** What every scenario gets from run.ts. */
export interface ScenarioContext {
  options: BenchOptions
  receiver: Receiver
  /** Progress lines go to stderr, so stdout holds only the table. */
  log(line: string): void
  /** Where CPU profiles of one run go, when --cpu-prof is on. */
  profileDir(run: string): string | undefined
  /** Records the version of something a scenario used (e.g. the Redis server). */
  noteVersion(name: string, version: string): void
}
