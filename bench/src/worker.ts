/**
 * The worker process: runs one workload on one store and prints its result line (see `Result.marker`). `main` starts
 * a fresh one per store × workload, so no run inherits another's heap, JIT state or peak memory.
 *
 * Run one by hand, for instance under the profiler, compiled (after `tsc -b bench`) or from the sources:
 * `node --expose-gc --cpu-prof dist/src/worker.js --store sqlite --workload read-all --repetitions 1`
 * `node --import tsx --conditions=@chronicle/source --expose-gc src/worker.ts --store sqlite --workload read-all`
 *
 * Options: `--store bare|lean|sqlite|naive|memory|bare-pg|postgres`, `--workload <name>`, `--quick`,
 * `--repetitions <n>`, `--database <file>` (read an existing database), `--setup` (only bulk-insert the workload's data
 * into `--database`, then exit), `--pg-url <url>` (the PostgreSQL server of the PostgreSQL stores), `--cpu-profile
 * <file>` (profile the measured repetitions only, into a `.cpuprofile`).
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { Effect } from "effect"
import * as BareStore from "./BareStore.js"
import * as Bulk from "./Bulk.js"
import * as Driver from "./Driver.js"
import * as Profiler from "./Profiler.js"
import { marker, peakRssMb, type WorkerResult } from "./Result.js"
import { sizes, storeNames, type StoreName, type WorkloadName, workloadNames, workloads } from "./Workload.js"

const { values } = parseArgs({
  options: {
    store: { type: "string" },
    workload: { type: "string" },
    quick: { type: "boolean", default: false },
    repetitions: { type: "string" },
    database: { type: "string" },
    setup: { type: "boolean", default: false },
    "pg-url": { type: "string" },
    "cpu-profile": { type: "string" }
  }
})

const oneOf = <A extends string>(name: string, value: string | undefined, allowed: ReadonlyArray<A>): A => {
  const found = allowed.find((a) => a === value)
  if (found === undefined) throw new Error(`--${name} must be one of ${allowed.join(", ")} (got ${value})`)
  return found
}

const store: StoreName = oneOf("store", values.store, storeNames)
const workload = workloads[oneOf<WorkloadName>("workload", values.workload, workloadNames)]
const sized = values.quick ? sizes(workload, store).quick : sizes(workload, store).full
const params =
  values.repetitions === undefined ? sized : { ...sized, repetitions: Math.max(1, Number(values.repetitions)) }
const log = (line: string) => process.stderr.write(`${line}\n`)

/** Bulk-inserts the workload's data into a new database the store can open (the SQLite store's table is its own). */
const setup = (database: string) => {
  const bare = BareStore.open(database, store === "lean" ? BareStore.lean : BareStore.chronicle)
  Bulk.insert(bare, params)
  bare.close()
}

const measure = async (dir: string): Promise<WorkerResult> => {
  const profile = values["cpu-profile"]
  const profiler = profile === undefined ? Profiler.none : Profiler.toFile(profile)
  const run: Driver.Run = {
    store,
    workload,
    params,
    dir,
    database: values.database,
    pgUrl: values["pg-url"],
    log,
    profiler
  }
  const measured =
    store === "bare" || store === "lean"
      ? Driver.runBare(run)
      : store === "naive"
        ? Driver.runNaive(run)
        : store === "bare-pg"
          ? await Driver.runBarePg(run)
          : await Effect.runPromise(Driver.runChronicle(run))
  return {
    store,
    workload: workload.name,
    eventsPerRepetition: params.events,
    samples: measured.samples.map((sample) => sample.wall),
    cpuSamples: measured.samples.map((sample) => sample.cpu),
    rssBeforeMb: measured.rssBeforeMb,
    peakRssMb: peakRssMb(),
    pragmas: measured.pragmas,
    held: measured.held,
    latency: measured.samples.every((sample) => sample.latency !== undefined)
      ? measured.samples.map((sample) => sample.latency!)
      : undefined
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-bench-"))
try {
  if (values.setup) {
    if (values.database === undefined) throw new Error("--setup needs --database")
    const start = performance.now()
    setup(values.database)
    log(
      `  setup: ${params.events.toLocaleString("en-US")} events in ${((performance.now() - start) / 1000).toFixed(1)} s`
    )
  } else {
    process.stdout.write(`${marker}${JSON.stringify(await measure(dir))}\n`)
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true })
}
