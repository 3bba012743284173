/**
 * The workloads on bare node-postgres: the same data, the same appends with the same expected-version checks, the
 * same Schema for encoding and decoding, the same page size as the PostgreSQL store; plain async code, one statement
 * per append, no envelopes.
 *
 * @since 0.1.0
 */
import * as BarePgStore from "./BarePgStore.js"
import * as Payload from "./Payload.js"
import * as Processes from "./Processes.js"
import * as Seed from "./Seed.js"
import { type Params, streamLength, type WorkloadName } from "./Workload.js"

/**
 * A workload on a bare PostgreSQL store: `setup` stores the data a repetition needs (not timed), `run` is the timed
 * part and returns the number of events it processed; `url` is the store's database (for workloads that start
 * processes of their own).
 *
 * @since 0.1.0
 * @category models
 */
export interface BarePgWorkload {
  readonly setup: (store: BarePgStore.BarePgStore, params: Params) => Promise<void>
  readonly run: (store: BarePgStore.BarePgStore, params: Params, url: string) => Promise<number | Processes.Outcome>
}

const noSetup = async () => {}

/** Appends `events` in batches of `batch`, round-robin over `streams` streams, one after the other. */
const appendRoundRobin = async (store: BarePgStore.BarePgStore, params: Params) => {
  const ids = Array.from({ length: params.streams }, (_, n) => Seed.accountStream(n))
  const versions = new Array<number>(params.streams).fill(0)
  const appends = Math.ceil(params.events / params.batch)
  for (let i = 0; i < appends; i++) {
    const stream = i % params.streams
    const from = versions[stream]!
    versions[stream] = await store.append(ids[stream]!, Seed.deposits(from, params.batch).map(Payload.encode), from)
  }
  return appends * params.batch
}

/** One async loop per stream, each appending single events to its own stream, all at once. */
const appendConcurrently = async (store: BarePgStore.BarePgStore, params: Params) => {
  const perStream = Math.ceil(params.events / params.streams)
  await Promise.all(
    Array.from({ length: params.streams }, async (_, n) => {
      const id = Seed.accountStream(n)
      let version = 0
      for (let i = 0; i < perStream; i++) {
        version = await store.append(id, [Payload.encode(Seed.deposit(version + 1))], version)
      }
    })
  )
  return perStream * params.streams
}

const storeData = (readStream: boolean) => async (store: BarePgStore.BarePgStore, params: Params) => {
  const { rows } = await store.pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "chronicle_events"`)
  if (Number(rows[0]!.n) > 0) return
  for (const append of Seed.plan(params, readStream)) {
    await store.append(append.streamId, append.events.map(Payload.encode), append.expectedVersion)
  }
}

const check = (what: string, count: number, balance: number, expected: number) => {
  if (count !== expected || balance !== expected * Seed.amount) {
    throw new Error(`${what}: read ${count} events worth ${balance}, expected ${expected}`)
  }
  return count
}

const readStream = async (store: BarePgStore.BarePgStore, params: Params) => {
  const length = streamLength(params)
  let total = 0
  for (let pass = 0; pass < params.passes; pass++) {
    let count = 0
    let balance = 0
    let after = 0
    for (;;) {
      const rows = await store.readStreamPage(Seed.targetStream, after)
      for (const row of rows) {
        const event = Payload.decode(row[2], row[3])
        count++
        if (event._tag === "MoneyDeposited") balance += event.amount
      }
      if (rows.length < BarePgStore.pageSize) break
      after = Number(rows[rows.length - 1]![0])
    }
    total += check("read-stream", count, balance, length)
  }
  return total
}

const readAll = async (store: BarePgStore.BarePgStore, params: Params) => {
  let count = 0
  let balance = 0
  let after: readonly [string, string] = ["0", "0"]
  while (count < params.events) {
    const limit = Math.min(BarePgStore.pageSize, params.events - count)
    const rows = await store.readAllPage(after, limit)
    for (const row of rows) {
      const event = Payload.decode(row[2], row[3])
      count++
      if (event._tag === "MoneyDeposited") balance += event.amount
    }
    if (rows.length < limit) break
    const last = rows[rows.length - 1]!
    after = [last[6], last[7]]
  }
  return check("read-all", count, balance, params.events)
}

const none: BarePgWorkload = {
  setup: noSetup,
  run: async () => {
    throw new Error("this workload does not run on PostgreSQL")
  }
}

/**
 * Every workload, on a bare PostgreSQL store (those that do not run on PostgreSQL refuse).
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, BarePgWorkload>> = {
  "append-single": { setup: noSetup, run: appendRoundRobin },
  "append-batch": { setup: noSetup, run: appendRoundRobin },
  "append-concurrent": { setup: noSetup, run: appendConcurrently },
  "append-processes": { setup: noSetup, run: (_, params, url) => Processes.run("bare-pg", url, params) },
  "read-stream": { setup: storeData(true), run: readStream },
  "read-all": { setup: storeData(false), run: readAll },
  handle: none,
  "handle-cold": none,
  "hold-1m": none,
  export: none,
  import: none,
  "read-all-1m": none,
  "read-all-1m-heap64": none,
  "load-100k": none,
  "load-100k-snapshot": none,
  // Conditional appends and reads by query are Chronicle's.
  "append-conditional": none,
  "append-conditional-hot": none,
  "read-tag": none,
  "http-append-1": none,
  "http-append-50": none,
  "http-read-1": none,
  "http-read-50": none,
  "http-sse-100": none
}
