/**
 * What a worker process reports for one store × workload, and the statistics computed from it. The worker prints it
 * as one JSON line on stdout, prefixed by {@link marker}; everything else it writes goes to stderr.
 *
 * @since 0.1.0
 */
import type { Pragmas } from "./BareStore.js"
import type { StoreName, WorkloadName } from "./Workload.js"

/**
 * The prefix of the result line on a worker's stdout.
 *
 * @since 0.1.0
 * @category constants
 */
export const marker = "@@chronicle-bench "

/**
 * One worker's measurements.
 *
 * - `samples`: events per second (wall clock) of each measured repetition;
 * - `cpuSamples`: events per second of CPU time the process used in each repetition, which other processes competing
 *   for the cores hardly affect;
 * - `rssBeforeMb`: resident memory once the data was in place, before the timed work (for workloads on a fresh store:
 *   when the first measured repetition started);
 * - `peakRssMb`: the process's peak resident memory (`process.resourceUsage().maxRSS`), setup included unless the
 *   workload's data was bulk-inserted by a separate process;
 * - `pragmas`: the journal mode and `synchronous` level of SQLite connections;
 * - `held`: for workloads that measure memory per event, what the store retains;
 * - `latency`: for the HTTP workloads, each repetition's p50 and p99 request latency.
 *
 * @since 0.1.0
 * @category models
 */
export interface WorkerResult {
  readonly store: StoreName
  readonly workload: WorkloadName
  readonly eventsPerRepetition: number
  readonly samples: ReadonlyArray<number>
  readonly cpuSamples: ReadonlyArray<number>
  readonly rssBeforeMb: number
  readonly peakRssMb: number
  readonly pragmas?: Pragmas | undefined
  readonly held?: Held | undefined
  /** The HTTP workloads' request latency of each measured repetition, in milliseconds. */
  readonly latency?: ReadonlyArray<Latency> | undefined
}

/**
 * Request latency percentiles, in milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Latency {
  readonly p50: number
  readonly p99: number
}

/**
 * The memory of a store holding `events` events, measured after its last repetition: the process's peak RSS so far,
 * its RSS and V8 heap in use after collecting garbage, and the size of the same events as JSON text (`JSON.stringify`
 * of each event as the store returns it).
 *
 * @since 0.1.0
 * @category models
 */
export interface Held {
  readonly events: number
  readonly peakRssMb: number
  readonly rssMb: number
  readonly heapUsedMb: number
  readonly jsonMb: number
}

/**
 * Median, minimum and maximum of a sample.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
}

/**
 * Summarizes a non-empty sample (the median of an even count is the mean of the middle two).
 *
 * @since 0.1.0
 * @category constructors
 */
export const summarize = (samples: ReadonlyArray<number>): Summary => {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! }
}

/**
 * Megabytes (MiB) from bytes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10

/**
 * The process's peak resident memory so far, in megabytes (`maxRSS` is in kilobytes).
 *
 * @since 0.1.0
 * @category constructors
 */
export const peakRssMb = (): number => mb(process.resourceUsage().maxRSS * 1024)
