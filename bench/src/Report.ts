/**
 * The report of a run: one record per store × workload with its ratio to the bare limit, the targets checked against
 * them (reported, never asserted), the terminal table, and the JSON written to `results/latest.json`.
 *
 * @since 0.1.0
 */
import { type Summary, summarize, type WorkerResult } from "./Result.js"
import { baselineOf, type StoreName, type WorkloadName } from "./Workload.js"

/**
 * One store × workload.
 *
 * @since 0.1.0
 * @category models
 */
export interface BenchRecord {
  readonly store: StoreName
  readonly workload: WorkloadName
  readonly eventsPerRepetition: number
  readonly repetitions: number
  readonly eventsPerSecond: Summary
  /** Events per second of CPU time (user + system) the worker used. */
  readonly eventsPerCpuSecond: Summary
  /**
   * Median events per second over its bare baseline's median on the same workload (1 for a bare store itself): bare
   * better-sqlite3 for the SQLite and in-memory stores, bare node-postgres for the PostgreSQL store.
   */
  readonly ratioToLimit: number | null
  /** The same ratio in events per CPU second: steadier when other processes compete for the cores. */
  readonly cpuRatioToLimit: number | null
  readonly peakRssMb: number
  readonly rssBeforeMb: number
  readonly samples: ReadonlyArray<number>
  readonly cpuSamples: ReadonlyArray<number>
}

/**
 * Builds the records of a run from its worker results.
 *
 * @since 0.1.0
 * @category constructors
 */
export const records = (results: ReadonlyArray<WorkerResult>): Array<BenchRecord> =>
  results.map((result) => {
    const eventsPerSecond = summarize(result.samples)
    const eventsPerCpuSecond = summarize(result.cpuSamples)
    const bare = results.find((r) => r.store === baselineOf(result.store) && r.workload === result.workload)
    return {
      store: result.store,
      workload: result.workload,
      eventsPerRepetition: result.eventsPerRepetition,
      repetitions: result.samples.length,
      eventsPerSecond,
      eventsPerCpuSecond,
      ratioToLimit: bare === undefined ? null : eventsPerSecond.median / summarize(bare.samples).median,
      cpuRatioToLimit: bare === undefined ? null : eventsPerCpuSecond.median / summarize(bare.cpuSamples).median,
      peakRssMb: result.peakRssMb,
      rssBeforeMb: result.rssBeforeMb,
      samples: result.samples,
      cpuSamples: result.cpuSamples
    }
  })

/**
 * A target from the issue, and whether the run met it (`null` when the run did not measure what it needs).
 *
 * @since 0.1.0
 * @category models
 */
export interface TargetCheck {
  readonly target: string
  readonly actual: string
  readonly met: boolean | null
}

interface Target {
  readonly target: string
  readonly measure: (find: (store: StoreName, workload: WorkloadName) => BenchRecord | undefined) => number | undefined
  readonly met: (value: number) => boolean
  readonly format: (value: number) => string
  /** The same measure in CPU time, shown beside the wall-clock one. */
  readonly cpu?: (find: (store: StoreName, workload: WorkloadName) => BenchRecord | undefined) => number | undefined
}

/**
 * Events per second in a short form: `12.3k`, `1.25M`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatRate = (value: number): string =>
  value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0)

const ratio = (workload: WorkloadName, min: number, store: StoreName = "sqlite"): Target => ({
  target: `${store} ${workload} >= ${min}x ${baselineOf(store)}`,
  measure: (find) => find(store, workload)?.ratioToLimit ?? undefined,
  met: (value) => value >= min,
  format: (value) => `${value.toFixed(2)}x`,
  cpu: (find) => find(store, workload)?.cpuRatioToLimit ?? undefined
})

const speed = (workload: WorkloadName, min: number, store: StoreName = "memory"): Target => ({
  target: `${store} ${workload} >= ${formatRate(min)} ev/s`,
  measure: (find) => find(store, workload)?.eventsPerSecond.median,
  met: (value) => value >= min,
  format: (value) => `${formatRate(value)} ev/s`,
  cpu: (find) => find(store, workload)?.eventsPerCpuSecond.median
})

/** A store's rate on one workload over its rate on another: how near export and import come to reading and appending. */
const relative = (store: StoreName, workload: WorkloadName, base: WorkloadName, min: number): Target => {
  const over = (find: (store: StoreName, workload: WorkloadName) => BenchRecord | undefined, cpu: boolean) => {
    const a = find(store, workload)
    const b = find(store, base)
    if (a === undefined || b === undefined) return undefined
    return cpu
      ? a.eventsPerCpuSecond.median / b.eventsPerCpuSecond.median
      : a.eventsPerSecond.median / b.eventsPerSecond.median
  }
  return {
    target: `${store} ${workload} >= ${min}x ${store} ${base}`,
    measure: (find) => over(find, false),
    met: (value) => value >= min,
    format: (value) => `${value.toFixed(2)}x`,
    cpu: (find) => over(find, true)
  }
}

const targets: ReadonlyArray<Target> = [
  ratio("append-single", 0.8),
  ratio("append-batch", 0.7),
  ratio("read-stream", 0.6),
  ratio("read-all", 0.6),
  relative("sqlite", "append-concurrent", "append-single", 5),
  {
    target: "sqlite read-all-1m peak RSS < 150 MB (heap capped)",
    measure: (find) => find("sqlite", "read-all-1m-heap64")?.peakRssMb,
    met: (value) => value < 150,
    format: (value) => `${value.toFixed(0)} MB`
  },
  relative("sqlite", "export", "read-all", 0.5),
  relative("sqlite", "import", "append-batch", 0.5),
  relative("memory", "export", "read-all", 0.5),
  relative("memory", "import", "append-batch", 0.5),
  speed("append-single", 250_000),
  speed("append-batch", 1_000_000),
  speed("read-all", 2_000_000),
  ratio("append-single", 0.8, "postgres"),
  ratio("append-batch", 0.8, "postgres"),
  relative("postgres", "append-concurrent", "append-single", 3),
  speed("read-all", 100_000, "postgres")
]

/**
 * Checks every target against the records of a run.
 *
 * @since 0.1.0
 * @category constructors
 */
export const checkTargets = (all: ReadonlyArray<BenchRecord>): Array<TargetCheck> => {
  const find = (store: StoreName, workload: WorkloadName) =>
    all.find((r) => r.store === store && r.workload === workload)
  return targets.map((t) => {
    const value = t.measure(find)
    const cpu = t.cpu?.(find)
    const cpuText = cpu === undefined ? "" : ` (CPU time: ${t.format(cpu)})`
    return value === undefined
      ? { target: t.target, actual: "not measured", met: null }
      : { target: t.target, actual: `${t.format(value)}${cpuText}`, met: t.met(value) }
  })
}

const pad = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>) =>
  cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")

/**
 * The results table and the target checks, as terminal text.
 *
 * @since 0.1.0
 * @category formatting
 */
export const table = (all: ReadonlyArray<BenchRecord>, checks: ReadonlyArray<TargetCheck>): string => {
  const header = ["workload", "store", "ev/s median", "min – max", "x bare", "ev/CPU-s", "x bare CPU", "peak RSS MB"]
  const rows = all.map((r) => [
    r.workload,
    r.store,
    formatRate(r.eventsPerSecond.median),
    `${formatRate(r.eventsPerSecond.min)} – ${formatRate(r.eventsPerSecond.max)}`,
    r.ratioToLimit === null ? "–" : r.ratioToLimit.toFixed(2),
    formatRate(r.eventsPerCpuSecond.median),
    r.cpuRatioToLimit === null ? "–" : r.cpuRatioToLimit.toFixed(2),
    r.peakRssMb.toFixed(0)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const lines = [pad(header, widths), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((r) => pad(r, widths))]
  const mark = (met: boolean | null) => (met === null ? "   ?" : met ? "  ok" : "MISS")
  const targetLines = checks.map((c) => `${mark(c.met)}  ${c.target.padEnd(52)} ${c.actual}`)
  return [...lines, "", "Targets (reported, not asserted):", ...targetLines].join("\n")
}
