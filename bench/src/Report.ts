/**
 * The report of a run: one record per store × workload with its ratio to the bare limit, the targets checked against
 * them (reported, never asserted), the terminal table, and the JSON written to `results/latest.json`.
 *
 * @since 0.1.0
 */
import { type Held, type Latency, type Summary, summarize, type WorkerResult } from "./Result.js"
import { baselinesOf, type StoreName, type WorkloadName, workloads } from "./Workload.js"

/**
 * A store's median over a baseline's median on the same workload in the same run, by the wall clock and by CPU time
 * (steadier when other processes compete for the cores).
 *
 * @since 0.1.0
 * @category models
 */
export interface Ratio {
  readonly baseline: StoreName
  readonly wall: number
  readonly cpu: number
}

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
  /** The ratios to the store's baselines (`Workload.baselinesOf`) that ran the same workload. */
  readonly ratios: ReadonlyArray<Ratio>
  readonly peakRssMb: number
  readonly rssBeforeMb: number
  readonly held?: Held | undefined
  /**
   * The HTTP workloads: the rate over the in-process rate of the same store on the workload they are compared with
   * (`Workload.direct`), by the wall clock and by CPU time, when that workload ran too.
   */
  readonly direct?: { readonly workload: WorkloadName; readonly wall: number; readonly cpu: number } | undefined
  /** The HTTP workloads: the medians over the repetitions of their p50 and p99 request latency, in milliseconds. */
  readonly latencyMs?: Latency | undefined
  readonly samples: ReadonlyArray<number>
  readonly cpuSamples: ReadonlyArray<number>
}

const directOf = (result: WorkerResult, results: ReadonlyArray<WorkerResult>): BenchRecord["direct"] => {
  const workload = workloads[result.workload].direct
  const other = results.find((r) => r.store === result.store && r.workload === workload)
  if (workload === undefined || other === undefined) return undefined
  return {
    workload,
    wall: summarize(result.samples).median / summarize(other.samples).median,
    cpu: summarize(result.cpuSamples).median / summarize(other.cpuSamples).median
  }
}

const latencyOf = (result: WorkerResult): Latency | undefined =>
  result.latency === undefined || result.latency.length === 0
    ? undefined
    : {
        p50: summarize(result.latency.map((l) => l.p50)).median,
        p99: summarize(result.latency.map((l) => l.p99)).median
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
    const ratios: Array<Ratio> = []
    for (const baseline of baselinesOf[result.store] ?? []) {
      const other = results.find((r) => r.store === baseline && r.workload === result.workload)
      if (other === undefined) continue
      ratios.push({
        baseline,
        wall: eventsPerSecond.median / summarize(other.samples).median,
        cpu: eventsPerCpuSecond.median / summarize(other.cpuSamples).median
      })
    }
    return {
      store: result.store,
      workload: result.workload,
      eventsPerRepetition: result.eventsPerRepetition,
      repetitions: result.samples.length,
      eventsPerSecond,
      eventsPerCpuSecond,
      ratios,
      peakRssMb: result.peakRssMb,
      rssBeforeMb: result.rssBeforeMb,
      held: result.held,
      direct: directOf(result, results),
      latencyMs: latencyOf(result),
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
  readonly measure: (find: Find) => number | undefined
  readonly met: (value: number) => boolean
  readonly format: (value: number) => string
  /** The same measure in CPU time, shown beside the wall-clock one. */
  readonly cpu?: (find: Find) => number | undefined
}

/**
 * Events per second in a short form: `12.3k`, `1.25M`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatRate = (value: number): string =>
  value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0)

type Find = (store: StoreName, workload: WorkloadName) => BenchRecord | undefined

const ratioTo = (find: Find, store: StoreName, workload: WorkloadName, baseline: StoreName) =>
  find(store, workload)?.ratios.find((r) => r.baseline === baseline)

const ratio = (store: StoreName, workload: WorkloadName, baseline: StoreName, min: number): Target => ({
  target: `${store} ${workload} >= ${min}x ${baseline}`,
  measure: (find) => ratioTo(find, store, workload, baseline)?.wall,
  met: (value) => value >= min,
  format: (value) => `${value.toFixed(2)}x`,
  cpu: (find) => ratioTo(find, store, workload, baseline)?.cpu
})

const speed = (workload: WorkloadName, min: number, store: StoreName = "memory"): Target => ({
  target: `${store} ${workload} >= ${formatRate(min)} ev/s`,
  measure: (find) => find(store, workload)?.eventsPerSecond.median,
  met: (value) => value >= min,
  format: (value) => `${formatRate(value)} ev/s`,
  cpu: (find) => find(store, workload)?.eventsPerCpuSecond.median
})

/** A store's rate on one workload over its rate on another (a handle over an append, an export over a read). */
const relative = (store: StoreName, workload: WorkloadName, base: WorkloadName, min: number): Target => {
  const over = (find: Find, cpu: boolean) => {
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

/** A workload's p99 request latency (the median over its repetitions) under a bound. */
const latency = (store: StoreName, workload: WorkloadName, maxMs: number): Target => ({
  target: `${store} ${workload} p99 < ${maxMs} ms`,
  measure: (find) => find(store, workload)?.latencyMs?.p99,
  met: (value) => value < maxMs,
  format: (value) => `${value.toFixed(1)} ms`
})

const targets: ReadonlyArray<Target> = [
  ratio("sqlite", "append-single", "lean", 0.9),
  ratio("sqlite", "append-batch", "lean", 0.8),
  ratio("sqlite", "append-single", "bare", 0.8),
  ratio("sqlite", "append-batch", "bare", 0.7),
  ratio("sqlite", "read-stream", "bare", 0.6),
  ratio("sqlite", "read-all", "bare", 0.6),
  ratio("memory", "append-single", "naive", 0.6),
  ratio("memory", "append-batch", "naive", 0.6),
  relative("sqlite", "handle", "append-single", 0.7),
  relative("memory", "handle", "append-single", 0.7),
  relative("sqlite", "append-concurrent", "append-single", 5),
  relative("sqlite", "append-conditional", "append-concurrent", 0.7),
  relative("memory", "append-conditional", "append-concurrent", 0.7),
  relative("postgres", "append-conditional", "append-concurrent", 0.7),
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
  {
    target: "memory hold-1m peak RSS <= 2x the events' JSON",
    measure: (find) => {
      const held = find("memory", "hold-1m")?.held
      return held === undefined ? undefined : held.peakRssMb / held.jsonMb
    },
    met: (value) => value <= 2,
    format: (value) => `${value.toFixed(2)}x`
  },
  speed("append-single", 250_000),
  speed("append-batch", 1_000_000),
  speed("read-all", 2_000_000),
  relative("sqlite", "http-append-50", "append-concurrent", 0.5),
  latency("sqlite", "http-append-50", 50),
  relative("memory", "http-append-50", "append-concurrent", 0.5),
  latency("memory", "http-append-50", 50),
  ratio("postgres", "append-single", "bare-pg", 0.8),
  ratio("postgres", "append-batch", "bare-pg", 0.8),
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
  const find: Find = (store, workload) => all.find((r) => r.store === store && r.workload === workload)
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
  const baselines = [...new Set(Object.values(baselinesOf).flat())]
  const header = [
    "workload",
    "store",
    "ev/s median",
    "min – max",
    "ev/CPU-s",
    ...baselines.map((b) => `x ${b} (CPU)`),
    "x direct (CPU)",
    "p50 / p99 ms",
    "peak RSS MB"
  ]
  const rows = all.map((r) => [
    r.workload,
    r.store,
    formatRate(r.eventsPerSecond.median),
    `${formatRate(r.eventsPerSecond.min)} – ${formatRate(r.eventsPerSecond.max)}`,
    formatRate(r.eventsPerCpuSecond.median),
    ...baselines.map((b) => {
      const found = r.ratios.find((ratio) => ratio.baseline === b)
      return found === undefined ? "–" : `${found.wall.toFixed(2)} (${found.cpu.toFixed(2)})`
    }),
    r.direct === undefined ? "–" : `${r.direct.wall.toFixed(2)} (${r.direct.cpu.toFixed(2)})`,
    r.latencyMs === undefined ? "–" : `${r.latencyMs.p50.toFixed(1)} / ${r.latencyMs.p99.toFixed(1)}`,
    r.peakRssMb.toFixed(0)
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const lines = [pad(header, widths), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map((r) => pad(r, widths))]
  const held = all.flatMap((r) => (r.held === undefined ? [] : [heldLine(r.workload, r.store, r.held)]))
  const mark = (met: boolean | null) => (met === null ? "   ?" : met ? "  ok" : "MISS")
  const targetLines = checks.map((c) => `${mark(c.met)}  ${c.target.padEnd(52)} ${c.actual}`)
  return [
    ...lines,
    ...(held.length === 0 ? [] : ["", "Memory per event (after the last repetition):", ...held]),
    "",
    "Targets (reported, not asserted):",
    ...targetLines
  ].join("\n")
}

const heldLine = (workload: WorkloadName, store: StoreName, held: Held): string => {
  const perEvent = (megabytes: number) => `${Math.round((megabytes * 1024 * 1024) / held.events)} B`
  return (
    `  ${workload} ${store}: peak RSS ${held.peakRssMb.toFixed(0)} MB (${(held.peakRssMb / held.jsonMb).toFixed(2)}x ` +
    `the JSON), RSS after GC ${held.rssMb.toFixed(0)} MB, heap ${held.heapUsedMb.toFixed(0)} MB ` +
    `(${perEvent(held.heapUsedMb)}/event); JSON of the ${held.events.toLocaleString("en-US")} events ` +
    `${held.jsonMb.toFixed(0)} MB (${perEvent(held.jsonMb)}/event)`
  )
}
