/**
 * The workloads written against Chronicle's `EventStore` and `CommandHandler`, as an application would write them:
 * events encoded with `BankAccount.codec`, appends with exact expected versions, reads decoded with
 * `EventCodec.decodeStream`. The same code runs on every Chronicle store.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import {
  CommandHandler,
  EventCodec,
  EventStore,
  ExpectedVersion,
  Position,
  type RecordedEvent,
  SnapshotStore,
  type StoreAdmin
} from "@chronicle/core"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ExportFormat } from "@chronicle/cli"
import { Effect, Stream } from "effect"
import * as ConditionalWorkloads from "./ConditionalWorkloads.js"
import * as HttpWorkloads from "./HttpWorkloads.js"
import * as Processes from "./Processes.js"
import * as Seed from "./Seed.js"
import { type Params, streamLength, type WorkloadName } from "./Workload.js"

/**
 * A workload on the `EventStore` in context: `setup` stores the data a repetition needs (not timed), `run` is the timed
 * part and returns the number of events it processed (checked against the parameters), or what the processes it
 * started did, or (the HTTP workloads) the events with the window the load generator timed. `where.url` is the PostgreSQL store's database, for workloads that start processes of their own.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChronicleWorkload {
  readonly setup: (params: Params) => Effect.Effect<void, unknown, Services>
  readonly run: (
    params: Params,
    where: { readonly url?: string | undefined }
  ) => Effect.Effect<number | Processes.Outcome | HttpWorkloads.Outcome, unknown, Services>
  /** For workloads that measure memory: the size in bytes of the store's events as JSON. */
  readonly held?: Effect.Effect<number, unknown, EventStore.EventStore>
}

/** What the workloads run on. */
export type Services = EventStore.EventStore | SnapshotStore.SnapshotStore | StoreAdmin.StoreAdmin

const noSetup = (_params: Params) => Effect.void

/** A file of this process's own, removed when it exits. */
const scratchFile = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-bench-transfer-"))
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, name)
}

const exportFile = scratchFile("export.ndjson")

/** Exports every event into a file, as `chronicle export --out FILE` does. */
const exportAll = (params: Params) =>
  Effect.acquireUseRelease(
    Effect.sync(() => fs.openSync(exportFile, "w")),
    (fd) =>
      ExportFormat.exportEvents({ write: (text) => Effect.sync(() => void fs.writeSync(fd, text)) }).pipe(
        Effect.flatMap((exported) =>
          exported === params.events
            ? Effect.succeed(exported)
            : Effect.dieMessage(`export: wrote ${exported} events, expected ${params.events}`)
        )
      ),
    (fd) => Effect.sync(() => fs.closeSync(fd))
  )

const importFile = scratchFile("import.ndjson")
let importFileEvents = 0

/** The NDJSON of append-batch's appends (ids, versions and times of their own), written once per process. */
const writeImportFile = (params: Params) =>
  Effect.sync(() => {
    if (importFileEvents === params.events) return
    const fd = fs.openSync(importFile, "w")
    let n = 0
    for (const append of Seed.plan(params, false)) {
      let text = ""
      append.events.forEach((deposit, i) => {
        const { _tag, ...data } = deposit
        text += `${JSON.stringify({
          id: crypto.randomUUID(),
          streamId: append.streamId,
          version: append.expectedVersion + i + 1,
          type: _tag,
          data: { _tag, ...data },
          metadata: {},
          recordedAt: new Date(Date.UTC(2026, 0, 1) + n * 10).toISOString()
        })}\n`
        n++
      })
      fs.writeSync(fd, text)
    }
    fs.closeSync(fd)
    importFileEvents = params.events
  })

/** Imports the file into the (empty) store, as `chronicle import FILE` does. */
const importAll = (params: Params) =>
  Effect.suspend(() => {
    const lines = ExportFormat.linesOf(fs.createReadStream(importFile), (error) => error)
    return ExportFormat.importLines(lines).pipe(
      Effect.flatMap((summary) =>
        summary.written === params.events
          ? Effect.succeed(summary.written)
          : Effect.dieMessage(`import: wrote ${summary.written} events, expected ${params.events}`)
      )
    )
  })

/** Appends `events` in batches of `batch`, round-robin over `streams` streams (`Seed.plan`), one after the other. */
const appendRoundRobin = (params: Params) => Seed.append(Seed.plan(params, false))

/** One fiber per stream, each appending single events to its own stream. */
const appendConcurrently = (params: Params) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const perStream = Math.ceil(params.events / params.streams)
    const fiber = (n: number) =>
      Effect.gen(function* () {
        const id = Seed.accountStream(n)
        let version = 0
        for (let i = 0; i < perStream; i++) {
          const events = yield* BankAccount.codec.encodeAll(Seed.deposits(version, 1))
          const result = yield* store.append(id, events, { expectedVersion: ExpectedVersion.exact(version) })
          version = result.version
        }
      })
    const streams = Array.from({ length: params.streams }, (_, n) => n)
    yield* Effect.forEach(streams, fiber, { concurrency: "unbounded", discard: true })
    return perStream * params.streams
  })

/** Stores the data of a read workload through the store, unless it is there already (bulk-inserted by a setup run). */
const store = (readStream: boolean) => (params: Params) =>
  Effect.gen(function* () {
    if (Position.isAfter(yield* EventStore.headPosition, Position.start)) return
    yield* Seed.append(Seed.plan(params, readStream))
  })

interface Tally {
  readonly count: number
  readonly balance: number
}

const tally = <E, R>(stream: Stream.Stream<RecordedEvent.RecordedEvent<BankAccount.Event>, E, R>) =>
  Stream.runFold(stream, { count: 0, balance: 0 } as Tally, (acc, event) => ({
    count: acc.count + 1,
    balance: event.data._tag === "MoneyDeposited" ? acc.balance + event.data.amount : acc.balance
  }))

const check = (what: string, tallied: Tally, count: number) =>
  tallied.count === count && tallied.balance === count * Seed.amount
    ? Effect.succeed(tallied.count)
    : Effect.dieMessage(`${what}: read ${tallied.count} events worth ${tallied.balance}, expected ${count}`)

const readStream = (params: Params) =>
  Effect.gen(function* () {
    const length = streamLength(params)
    let total = 0
    for (let pass = 0; pass < params.passes; pass++) {
      const tallied = yield* tally(
        EventStore.readStream(Seed.targetStream).pipe(EventCodec.decodeStream(BankAccount.codec))
      )
      total += yield* check("read-stream", tallied, length)
    }
    return total
  })

const readAll = (params: Params) =>
  Effect.flatMap(
    tally(EventStore.readAll({ maxCount: params.events }).pipe(EventCodec.decodeStream(BankAccount.codec))),
    (tallied) => check("read-all", tallied, params.events)
  )

const openedAt = new Date(0)

/**
 * The handler the workloads measure: the bank account decider and codec with the state cache, without tags, so that
 * a command appends the very events `append-single` appends and the ratio between them is the handler's own cost.
 */
const cached = CommandHandler.make({ decider: BankAccount.decider, codec: BankAccount.codec })

/** A handler of bank accounts without the state cache: every command and every load reads the whole stream. */
const uncached = CommandHandler.make({ decider: BankAccount.decider, codec: BankAccount.codec, cache: false })

/** Opens `streams` accounts, then deposits round-robin through `handler`. */
const handleWith = (handler: typeof cached) => ({
  setup: (params: Params) =>
    Effect.forEach(
      Array.from({ length: params.streams }, (_, n) => n),
      (n) =>
        handler.handle(
          Seed.accountStream(n),
          BankAccount.OpenAccount.make({ accountId: `acc-${n}`, ownerName: `Owner ${n}`, openedAt })
        ),
      { discard: true }
    ),
  run: (params: Params) =>
    Effect.gen(function* () {
      const ids = Array.from({ length: params.streams }, (_, n) => Seed.accountStream(n))
      const command = BankAccount.Deposit.make({ amount: Seed.amount })
      for (let i = 0; i < params.events; i++) {
        yield* handler.handle(ids[i % params.streams]!, command)
      }
      return params.events
    })
})

/** The size of every stored event as JSON, in bytes (the events are ASCII). */
const jsonBytes = Stream.runFold(EventStore.readAll(), 0, (bytes, event) => bytes + JSON.stringify(event).length)

const longAccount = BankAccount.streamId("long")
const snapshotting = CommandHandler.make({
  decider: BankAccount.decider,
  codec: BankAccount.codec,
  snapshots: { schema: BankAccount.State, policy: SnapshotStore.every(100) },
  cache: false
})

/** An opened account with `background` deposits, a snapshot at its end, then 50 more deposits (the tail). */
const longAccountSetup = (params: Params) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    if ((yield* store.streamVersion(longAccount)) > 0) return
    const opened = BankAccount.AccountOpened.make({ accountId: "long", ownerName: "Long", openedAt })
    yield* store.append(longAccount, yield* BankAccount.codec.encodeAll([opened]), {
      expectedVersion: ExpectedVersion.noStream
    })
    const length = params.background
    for (let from = 0; from < length; from += params.batch) {
      const events = yield* BankAccount.codec.encodeAll(Seed.deposits(from, Math.min(params.batch, length - from)))
      yield* store.append(longAccount, events, { expectedVersion: ExpectedVersion.exact(from + 1) })
    }
    yield* snapshotting.snapshot(longAccount)
    const tail = yield* BankAccount.codec.encodeAll(Seed.deposits(length, 50))
    yield* store.append(longAccount, tail, { expectedVersion: ExpectedVersion.exact(length + 1) })
  })

/** `events` loads of the long account, each checked; returns the number of loads. */
const loadLong =
  (load: (streamId: string) => Effect.Effect<CommandHandler.Loaded<BankAccount.State>, unknown, Services>) =>
  (params: Params) =>
    Effect.gen(function* () {
      for (let n = 0; n < params.events; n++) {
        const loaded = yield* load(longAccount)
        if (loaded.version !== params.background + 51 || loaded.state._tag !== "Active") {
          return yield* Effect.dieMessage(`load-100k: loaded version ${loaded.version}, state ${loaded.state._tag}`)
        }
      }
      return params.events
    })

/**
 * Every workload, on the `EventStore` in context.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, ChronicleWorkload>> = {
  "append-single": { setup: noSetup, run: appendRoundRobin },
  "append-batch": { setup: noSetup, run: appendRoundRobin },
  "append-concurrent": { setup: noSetup, run: appendConcurrently },
  "read-stream": { setup: store(true), run: readStream },
  "read-all": { setup: store(false), run: readAll },
  export: { setup: store(false), run: exportAll },
  import: { setup: writeImportFile, run: importAll },
  handle: handleWith(cached),
  "handle-cold": handleWith(uncached),
  "read-all-1m": { setup: store(false), run: readAll },
  "read-all-1m-heap64": { setup: store(false), run: readAll },
  // Loads by handlers without the state cache, so that every load is a cold one.
  "load-100k": { setup: longAccountSetup, run: loadLong(uncached.load) },
  "load-100k-snapshot": { setup: longAccountSetup, run: loadLong(snapshotting.load) },
  "append-processes": {
    setup: noSetup,
    run: (params, where) =>
      where.url === undefined
        ? Effect.dieMessage("append-processes runs on PostgreSQL only")
        : Effect.promise(() => Processes.run("postgres", where.url!, params))
  },
  "hold-1m": { setup: noSetup, run: appendRoundRobin, held: jsonBytes },
  ...ConditionalWorkloads.workloads,
  ...HttpWorkloads.httpWorkloads
}
