/**
 * The workloads on the bare store: the same data, the same appends with the same expected-version checks, the same
 * Schema for encoding and decoding, the same page size; plain synchronous code with nothing else around it.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { Either } from "effect"
import * as BareStore from "./BareStore.js"
import * as Payload from "./Payload.js"
import * as Seed from "./Seed.js"
import { type Params, streamLength, type WorkloadName } from "./Workload.js"

/**
 * A workload on a bare store: `setup` stores the data a repetition needs (not timed), `run` is the timed part and
 * returns the number of events it processed (checked against the parameters).
 *
 * @since 0.1.0
 * @category models
 */
export interface BareWorkload {
  readonly setup: (store: BareStore.BareStore, params: Params) => void
  readonly run: (store: BareStore.BareStore, params: Params) => number
}

const noSetup = () => {}

/**
 * Appends `events` in batches of `batch`, round-robin over `streams` streams. Also the bare form of
 * `append-concurrent`: synchronous code has no concurrency, so 100 "fibers" are 100 interleaved streams.
 */
const appendRoundRobin = (store: BareStore.BareStore, params: Params) => {
  const ids = Array.from({ length: params.streams }, (_, n) => Seed.accountStream(n))
  const versions = new Array<number>(params.streams).fill(0)
  const appends = Math.ceil(params.events / params.batch)
  for (let i = 0; i < appends; i++) {
    const stream = i % params.streams
    const from = versions[stream]!
    versions[stream] = store.append(ids[stream]!, Seed.deposits(from, params.batch).map(Payload.encode), from)
  }
  return appends * params.batch
}

const head = (store: BareStore.BareStore): number =>
  store.db.prepare<[], number>(`SELECT COALESCE(MAX(position), 0) FROM "chronicle_events"`).pluck().get() ?? 0

const storeData = (readStream: boolean) => (store: BareStore.BareStore, params: Params) => {
  if (head(store) > 0) return
  for (const append of Seed.plan(params, readStream)) {
    store.append(append.streamId, append.events.map(Payload.encode), append.expectedVersion)
  }
}

/** Reads a whole stream page by page, as the store does; calls `f` with each decoded event and its version. */
const forEachInStream = (
  store: BareStore.BareStore,
  streamId: string,
  f: (event: BankAccount.Event, version: number) => void
) => {
  let after = 0
  for (;;) {
    const rows = store.readStreamPage(streamId, after)
    for (const row of rows) f(Payload.decode(row.type, row.data), row.version)
    if (rows.length < BareStore.pageSize) return
    after = rows[rows.length - 1]!.version
  }
}

const check = (what: string, count: number, balance: number, expected: number) => {
  if (count !== expected || balance !== expected * Seed.amount) {
    throw new Error(`${what}: read ${count} events worth ${balance}, expected ${expected}`)
  }
  return count
}

const readStream = (store: BareStore.BareStore, params: Params) => {
  const length = streamLength(params)
  let total = 0
  for (let pass = 0; pass < params.passes; pass++) {
    let count = 0
    let balance = 0
    forEachInStream(store, Seed.targetStream, (event) => {
      count++
      if (event._tag === "MoneyDeposited") balance += event.amount
    })
    total += check("read-stream", count, balance, length)
  }
  return total
}

const readAll = (store: BareStore.BareStore, params: Params) => {
  let count = 0
  let balance = 0
  let after = 0
  while (count < params.events) {
    const limit = Math.min(BareStore.pageSize, params.events - count)
    const rows = store.readAllPage(after, limit)
    for (const row of rows) {
      const event = Payload.decode(row.type, row.data)
      count++
      if (event._tag === "MoneyDeposited") balance += event.amount
    }
    if (rows.length < limit) break
    after = rows[rows.length - 1]!.position
  }
  return check("read-all", count, balance, params.events)
}

/** Load (read and fold), decide, encode, append with the loaded version as the expected version. */
const handleCommand = (store: BareStore.BareStore, streamId: string, command: BankAccount.Command) => {
  let state = BankAccount.initialState
  let version = 0
  forEachInStream(store, streamId, (event, at) => {
    state = BankAccount.evolve(state, event)
    version = at
  })
  const decided = BankAccount.decide(command, state)
  if (Either.isLeft(decided)) throw new Error(`rejected: ${decided.left._tag}`)
  store.append(streamId, decided.right.map(Payload.encode), version)
  for (const event of decided.right) state = BankAccount.evolve(state, event)
  return state
}

const openedAt = new Date(0)

const handle: BareWorkload = {
  setup: (store, params) => {
    for (let n = 0; n < params.streams; n++) {
      const command = BankAccount.OpenAccount.make({ accountId: `acc-${n}`, ownerName: `Owner ${n}`, openedAt })
      handleCommand(store, Seed.accountStream(n), command)
    }
  },
  run: (store, params) => {
    const ids = Array.from({ length: params.streams }, (_, n) => Seed.accountStream(n))
    const command = BankAccount.Deposit.make({ amount: Seed.amount })
    for (let i = 0; i < params.events; i++) handleCommand(store, ids[i % params.streams]!, command)
    return params.events
  }
}

/**
 * Every workload, on a bare store.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, BareWorkload>> = {
  "append-single": { setup: noSetup, run: appendRoundRobin },
  "append-batch": { setup: noSetup, run: appendRoundRobin },
  "append-concurrent": { setup: noSetup, run: appendRoundRobin },
  "read-stream": { setup: storeData(true), run: readStream },
  "read-all": { setup: storeData(false), run: readAll },
  handle,
  "read-all-1m": { setup: storeData(false), run: readAll },
  "read-all-1m-heap64": { setup: storeData(false), run: readAll },
  // Snapshot loads are Chronicle's own feature: no bare counterpart (the workloads run on memory and sqlite only).
  export: { setup: () => undefined, run: () => 0 },
  import: { setup: () => undefined, run: () => 0 },
  "load-100k": { setup: () => undefined, run: () => 0 },
  "load-100k-snapshot": { setup: () => undefined, run: () => 0 },
  // Processes of their own, on PostgreSQL only (BarePgWorkloads).
  "append-processes": { setup: () => undefined, run: () => 0 }
}
