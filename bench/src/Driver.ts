/**
 * Runs one workload on one store inside the current process: setup (not timed), one warm-up, then the measured
 * repetitions, each on a fresh store when the workload appends. Returns events per second of each repetition.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { createDatabase } from "@chronicle/postgres-server"
import { InMemoryEventStore, InMemorySnapshotStore } from "@chronicle/store-memory"
import { PostgresEventStore, PostgresSnapshotStore } from "@chronicle/store-postgres"
import { SqliteEventStore, SqliteSnapshotStore } from "@chronicle/store-sqlite"
import * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import * as BarePgStore from "./BarePgStore.js"
import * as BarePgWorkloads from "./BarePgWorkloads.js"
import * as BareStore from "./BareStore.js"
import * as BareWorkloads from "./BareWorkloads.js"
import * as ChronicleWorkloads from "./ChronicleWorkloads.js"
import type * as HttpWorkloads from "./HttpWorkloads.js"
import * as NaiveStore from "./NaiveStore.js"
import * as NaiveWorkloads from "./NaiveWorkloads.js"
import type * as Processes from "./Processes.js"
import type * as Profiler from "./Profiler.js"
import { type Held, type Latency, mb, peakRssMb } from "./Result.js"
import type * as SyncWorkload from "./SyncWorkload.js"
import { onPostgres, type Params, type StoreName, type Workload, warmUp } from "./Workload.js"

/**
 * Where a run keeps its files, and what it measured besides speed.
 *
 * - `dir`: a private temporary directory for database files;
 * - `database`: an existing database (bulk-inserted by a setup process) that read workloads use instead of storing data;
 * - `pgUrl`: the PostgreSQL server of the PostgreSQL stores (a user that may create databases): each fresh repetition,
 *   and each worker's shared data, gets a database of its own, dropped afterwards.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly store: StoreName
  readonly workload: Workload
  readonly params: Params
  readonly dir: string
  readonly database?: string | undefined
  readonly pgUrl?: string | undefined
  readonly log: (line: string) => void
  /** Profiles the measured repetitions (from the first one's start to the last one's end). */
  readonly profiler: Profiler.Profiler
}

/**
 * The measured repetitions of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Measured {
  readonly samples: ReadonlyArray<Sample>
  readonly rssBeforeMb: number
  readonly pragmas?: BareStore.Pragmas | undefined
  readonly held?: Held | undefined
}

const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.()

const isLast = (run: Run, label: string) => label === `rep ${run.params.repetitions}`

/**
 * The memory a store retains once its events are in (after collecting garbage) and the peak so far, taken before the
 * JSON size of the events is computed (which allocates); `withJson` adds that size.
 */
const measureHeld = (run: Run) => {
  collectGarbage()
  collectGarbage()
  const usage = process.memoryUsage()
  const memory = {
    events: run.params.events,
    peakRssMb: peakRssMb(),
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed)
  }
  return { withJson: (bytes: number): Held => ({ ...memory, jsonMb: mb(bytes) }) }
}

/**
 * One repetition's events per second of wall-clock time, and per second of CPU time the process used (user and
 * system, all threads): the second barely moves when other processes compete for the cores.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sample {
  readonly wall: number
  readonly cpu: number
  /** The HTTP workloads' request latency. */
  readonly latency?: Latency | undefined
}

interface Started {
  readonly wall: number
  readonly cpu: NodeJS.CpuUsage
}

const start = (run: Run, label: string): Started => {
  // A forced collection between repetitions would show up in a profile as work of the store.
  if (!run.profiler.enabled || label === "warm-up" || label === "rep 1") collectGarbage()
  if (label === "rep 1") run.profiler.start()
  return { wall: performance.now(), cpu: process.cpuUsage() }
}

/**
 * What a timed part returns: the events it processed, or what the processes it started did (and their CPU time), or
 * what an HTTP load did in the window it timed itself (so that starting the server and the load generator is not
 * timed).
 */
type Done = number | Processes.Outcome | HttpWorkloads.Outcome

const rate = (run: Run, label: string, done: Done, expected: number, started: Started): Sample => {
  const cpu = process.cpuUsage(started.cpu)
  const timed = typeof done === "number" || !("window" in done) ? undefined : done
  const millis = timed?.window.millis ?? performance.now() - started.wall
  const events = typeof done === "number" ? done : done.events
  if (events !== expected) throw new Error(`${run.workload.name}: processed ${events} events, expected ${expected}`)
  const wall = (events / millis) * 1000
  // The work of processes the workload started is theirs: their CPU time, with this process's waiting. An HTTP load's
  // is this process's (the server's) in its window: the load generator's is the client's cost.
  const cpuMillis =
    timed?.window.cpuMillis ??
    (cpu.user + cpu.system) / 1000 + (typeof done === "number" || !("cpuMillis" in done) ? 0 : done.cpuMillis)
  const show = (n: number) => Math.round(n).toLocaleString("en-US")
  const latency = timed?.latency === undefined ? "" : `, p50 ${timed.latency.p50} ms, p99 ${timed.latency.p99} ms`
  run.log(`  ${label}: ${show(wall)} ev/s (${millis.toFixed(0)} ms, ${cpuMillis.toFixed(0)} ms CPU${latency})`)
  return { wall, cpu: (events / cpuMillis) * 1000, latency: timed?.latency }
}

const removeDatabase = (file: string) => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true })
}

const databaseFile = (run: Run, label: string) => path.join(run.dir, `${run.store}-${label}.db`)

/** How the driver opens, inspects and closes a baseline store. */
interface SyncDriver<S> {
  readonly open: (file: string) => S
  readonly close: (store: S) => void
  readonly pragmas: (store: S) => BareStore.Pragmas | undefined
  readonly workload: SyncWorkload.SyncWorkload<S>
}

const runSync = <S>(run: Run, driver: SyncDriver<S>): Measured => {
  const { workload } = driver
  const timed = (store: S, label: string, params: Params) => {
    const started = start(run, label)
    const events = workload.run(store, params)
    return rate(run, label, events, params.events, started)
  }
  const inspect = (store: S, label: string) => {
    const jsonBytes = workload.held
    if (jsonBytes !== undefined && isLast(run, label)) held = measureHeld(run).withJson(jsonBytes(store))
  }
  const samples: Array<Sample> = []
  let rssBefore = 0
  let pragmas: BareStore.Pragmas | undefined
  let held: Held | undefined
  const warm = warmUp(run.workload, run.store, run.params)
  if (run.workload.fresh) {
    const once = (label: string, params: Params) => {
      const file = databaseFile(run, label)
      const store = driver.open(file)
      pragmas ??= driver.pragmas(store)
      workload.setup(store, params)
      if (label !== "warm-up" && rssBefore === 0) rssBefore = process.memoryUsage.rss()
      const sample = timed(store, label, params)
      inspect(store, label)
      driver.close(store)
      removeDatabase(file)
      return sample
    }
    once("warm-up", warm)
    for (let rep = 1; rep <= run.params.repetitions; rep++) samples.push(once(`rep ${rep}`, run.params))
    run.profiler.stop()
  } else {
    const store = driver.open(run.database ?? databaseFile(run, "data"))
    pragmas = driver.pragmas(store)
    workload.setup(store, run.params)
    rssBefore = process.memoryUsage.rss()
    timed(store, "warm-up", warm)
    for (let rep = 1; rep <= run.params.repetitions; rep++) samples.push(timed(store, `rep ${rep}`, run.params))
    run.profiler.stop()
    inspect(store, `rep ${run.params.repetitions}`)
    driver.close(store)
  }
  return { samples, rssBeforeMb: mb(rssBefore), pragmas, held }
}

/**
 * Runs a workload on a bare better-sqlite3 store: `bare` (the SQLite store's own table) or `lean`.
 *
 * @since 0.1.0
 * @category runners
 */
export const runBare = (run: Run): Measured =>
  runSync(run, {
    open: (file) => BareStore.open(file, run.store === "lean" ? BareStore.lean : BareStore.chronicle),
    close: (store) => store.close(),
    pragmas: (store) => BareStore.pragmas(store.db),
    workload: BareWorkloads.workloads[run.workload.name]
  })

/**
 * Runs a workload on the naive in-memory store.
 *
 * @since 0.1.0
 * @category runners
 */
export const runNaive = (run: Run): Measured =>
  runSync(run, {
    open: () => NaiveStore.make(),
    close: () => undefined,
    pragmas: () => undefined,
    workload: NaiveWorkloads.workloads[run.workload.name]
  })

/**
 * Runs `use` on a new place for a store's data (a SQLite file in the run's directory, or a new PostgreSQL database),
 * removed afterwards.
 */
const withPlace = <A, E, R>(
  run: Run,
  label: string,
  use: (place: string) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  onPostgres(run.store)
    ? Effect.acquireUseRelease(
        Effect.promise(() => createDatabase(pgUrlOf(run), `bench_${run.workload.name}_${label}`)),
        (database) => use(database.url),
        (database) => Effect.promise(() => database.drop())
      )
    : Effect.ensuring(
        use(databaseFile(run, label)),
        Effect.sync(() => removeDatabase(databaseFile(run, label)))
      )

const pgUrlOf = (run: Run): string => {
  if (run.pgUrl === undefined) throw new Error(`${run.store} needs a PostgreSQL server (--pg-url)`)
  return run.pgUrl
}

const storeLayer = (run: Run, place: string): Layer.Layer<ChronicleWorkloads.Services, unknown> =>
  run.store === "memory"
    ? Layer.merge(InMemoryEventStore.layer, InMemorySnapshotStore.layer)
    : run.store === "postgres"
      ? Layer.provideMerge(PostgresSnapshotStore.layer(), PostgresEventStore.layerWithClient({ url: place }))
      : Layer.provideMerge(SqliteSnapshotStore.layer(), SqliteEventStore.layerWithClient({ filename: place }))

/** The journal mode and `synchronous` level of the SQLite store's own connection. */
const sqlitePragmas = (run: Run) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [journal] = yield* sql.unsafe<{ journal_mode: string }>("PRAGMA journal_mode")
    const [sync] = yield* sql.unsafe<{ synchronous: number }>("PRAGMA synchronous")
    return { journalMode: String(journal?.journal_mode), synchronous: Number(sync?.synchronous) }
  }).pipe(Effect.provide(SqliteEventStore.layerWithClient({ filename: databaseFile(run, "pragmas") })))

/**
 * Runs a workload on a Chronicle store (`memory` or `sqlite`).
 *
 * @since 0.1.0
 * @category runners
 */
export const runChronicle = (run: Run): Effect.Effect<Measured, unknown> =>
  Effect.gen(function* () {
    const workload = ChronicleWorkloads.workloads[run.workload.name]
    const pragmas = run.store === "sqlite" ? yield* sqlitePragmas(run) : undefined
    const timed = (label: string, params: Params, place: string) =>
      Effect.gen(function* () {
        const started = start(run, label)
        const done = yield* workload.run(params, { url: onPostgres(run.store) ? place : undefined })
        return rate(run, label, done, params.events, started)
      })
    const samples: Array<Sample> = []
    let rssBefore = 0
    let held: Held | undefined
    const inspect = (label: string) =>
      Effect.gen(function* () {
        if (workload.held === undefined || !isLast(run, label)) return
        const memory = measureHeld(run)
        held = memory.withJson(yield* workload.held)
      })
    const warm = warmUp(run.workload, run.store, run.params)
    if (run.workload.fresh) {
      const once = (label: string, params: Params) =>
        withPlace(run, label.replace(" ", "_"), (place) =>
          Effect.gen(function* () {
            yield* workload.setup(params)
            if (label !== "warm-up" && rssBefore === 0) rssBefore = process.memoryUsage.rss()
            const sample = yield* timed(label, params, place)
            yield* inspect(label)
            return sample
          }).pipe(Effect.provide(storeLayer(run, place)))
        )
      yield* once("warm-up", warm)
      for (let rep = 1; rep <= run.params.repetitions; rep++) samples.push(yield* once(`rep ${rep}`, run.params))
      run.profiler.stop()
    } else {
      const shared = (place: string) =>
        Effect.gen(function* () {
          yield* workload.setup(run.params)
          rssBefore = process.memoryUsage.rss()
          yield* timed("warm-up", warm, place)
          for (let rep = 1; rep <= run.params.repetitions; rep++) {
            samples.push(yield* timed(`rep ${rep}`, run.params, place))
          }
          run.profiler.stop()
          yield* inspect(`rep ${run.params.repetitions}`)
        }).pipe(Effect.provide(storeLayer(run, place)))
      yield* run.database !== undefined ? shared(run.database) : withPlace(run, "data", shared)
    }
    return { samples, rssBeforeMb: mb(rssBefore), pragmas, held }
  })

/**
 * Runs a workload on the bare node-postgres store, each repetition of an appending workload on a new database.
 *
 * @since 0.1.0
 * @category runners
 */
export const runBarePg = async (run: Run): Promise<Measured> => {
  const workload = BarePgWorkloads.workloads[run.workload.name]
  const onDatabase = async <A>(label: string, use: (url: string) => Promise<A>): Promise<A> => {
    const database = await createDatabase(pgUrlOf(run), `bench_bare_${run.workload.name}_${label.replace(" ", "_")}`)
    try {
      return await use(database.url)
    } finally {
      await database.drop()
    }
  }
  const timed = async (store: BarePgStore.BarePgStore, url: string, label: string, params: Params) => {
    const started = start(run, label)
    const done = await workload.run(store, params, url)
    return rate(run, label, done, params.events, started)
  }
  const samples: Array<Sample> = []
  let rssBefore = 0
  const warm = warmUp(run.workload, run.store, run.params)
  if (run.workload.fresh) {
    const once = (label: string, params: Params) =>
      onDatabase(label, async (url) => {
        const store = await BarePgStore.open(url)
        try {
          await workload.setup(store, params)
          if (label !== "warm-up" && rssBefore === 0) rssBefore = process.memoryUsage.rss()
          return await timed(store, url, label, params)
        } finally {
          await store.close()
        }
      })
    await once("warm-up", warm)
    for (let rep = 1; rep <= run.params.repetitions; rep++) samples.push(await once(`rep ${rep}`, run.params))
    run.profiler.stop()
  } else {
    await onDatabase("data", async (url) => {
      const store = await BarePgStore.open(url)
      try {
        await workload.setup(store, run.params)
        rssBefore = process.memoryUsage.rss()
        await timed(store, url, "warm-up", warm)
        for (let rep = 1; rep <= run.params.repetitions; rep++) {
          samples.push(await timed(store, url, `rep ${rep}`, run.params))
        }
        run.profiler.stop()
      } finally {
        await store.close()
      }
    })
  }
  return { samples, rssBeforeMb: mb(rssBefore) }
}
