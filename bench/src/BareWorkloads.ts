/**
 * The workloads on the bare SQLite stores (`bare`, `lean`): the same data, the same appends with the same
 * expected-version checks, the same Schema for encoding and decoding, the same page size; plain synchronous code with
 * nothing else around it.
 *
 * @since 0.1.0
 */
import type { BankAccount } from "@chronicle/bank-account"
import * as BareStore from "./BareStore.js"
import * as Payload from "./Payload.js"
import * as SyncWorkload from "./SyncWorkload.js"
import type { Params, WorkloadName } from "./Workload.js"

/**
 * A workload on a bare store.
 *
 * @since 0.1.0
 * @category models
 */
export type BareWorkload = SyncWorkload.SyncWorkload<BareStore.BareStore>

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

const ops: SyncWorkload.Operations<BareStore.BareStore> = {
  append: (store, streamId, events, expectedVersion) =>
    store.append(streamId, events.map(Payload.encode), expectedVersion),
  forEachInStream
}

const storeData = (readStream: boolean) => (store: BareStore.BareStore, params: Params) => {
  if (store.head() === 0) SyncWorkload.storeData(ops, store, params, readStream)
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
  return SyncWorkload.check("read-all", count, balance, params.events)
}

/**
 * Every workload, on a bare store.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, BareWorkload>> = {
  ...SyncWorkload.common(ops, storeData, readAll),
  "handle-cold": SyncWorkload.notRun,
  "read-all-1m": { setup: storeData(false), run: readAll },
  "read-all-1m-heap64": { setup: storeData(false), run: readAll },
  // Export and import, snapshot loads, the state cache and holding events are Chronicle's (their stores leave it out).
  export: SyncWorkload.notRun,
  import: SyncWorkload.notRun,
  "load-100k": SyncWorkload.notRun,
  "load-100k-snapshot": SyncWorkload.notRun,
  "hold-1m": SyncWorkload.notRun,
  // Processes of their own, on PostgreSQL only (BarePgWorkloads).
  "append-processes": SyncWorkload.notRun,
  // Conditional appends and reads by query are Chronicle's.
  "append-conditional": SyncWorkload.notRun,
  "append-conditional-hot": SyncWorkload.notRun,
  "read-tag": SyncWorkload.notRun,
  "http-append-1": SyncWorkload.notRun,
  "http-append-50": SyncWorkload.notRun,
  "http-read-1": SyncWorkload.notRun,
  "http-read-50": SyncWorkload.notRun,
  "http-sse-100": SyncWorkload.notRun
}
