/**
 * The workloads on the naive in-memory store: events created and encoded as for Chronicle's stores
 * (`BankAccount.codec`, outside the store), handed to the naive store as they are, and decoded with the same codec.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import type { RecordedEvent } from "@chronicle/core"
import { Either } from "effect"
import type * as NaiveStore from "./NaiveStore.js"
import * as SyncWorkload from "./SyncWorkload.js"
import type { Params, WorkloadName } from "./Workload.js"

/**
 * A workload on the naive store.
 *
 * @since 0.1.0
 * @category models
 */
export type NaiveWorkload = SyncWorkload.SyncWorkload<NaiveStore.NaiveStore>

const encodeAll = (events: ReadonlyArray<BankAccount.Event>) => {
  const encoded = BankAccount.codec.encodeAll(events)
  if (Either.isLeft(encoded)) throw new Error(`cannot encode: ${encoded.left.message}`)
  return encoded.right
}

/** The naive event has what the codec reads of a recorded event: its type and data. */
const decode = (event: NaiveStore.NaiveEvent) => {
  const decoded = BankAccount.codec.decodeData(event as unknown as RecordedEvent.RecordedEvent)
  if (Either.isLeft(decoded)) throw new Error(`cannot decode: ${decoded.left.message}`)
  return decoded.right
}

const ops: SyncWorkload.Operations<NaiveStore.NaiveStore> = {
  append: (store, streamId, events, expectedVersion) => store.append(streamId, encodeAll(events), expectedVersion),
  forEachInStream: (store, streamId, f) => {
    for (const event of store.getStream(streamId)) f(decode(event), event.version)
  }
}

const storeData = (readStream: boolean) => (store: NaiveStore.NaiveStore, params: Params) =>
  SyncWorkload.storeData(ops, store, params, readStream)

const readAll = (store: NaiveStore.NaiveStore, params: Params) => {
  const all = store.getAllEvents()
  const count = Math.min(all.length, params.events)
  let balance = 0
  for (let i = 0; i < count; i++) {
    const event = decode(all[i]!)
    if (event._tag === "MoneyDeposited") balance += event.amount
  }
  return SyncWorkload.check("read-all", count, balance, params.events)
}

/** The size of every stored event as JSON, in bytes (the events are ASCII). */
const jsonBytes = (store: NaiveStore.NaiveStore) => {
  let bytes = 0
  for (const event of store.getAllEvents()) bytes += JSON.stringify(event).length
  return bytes
}

/**
 * Every workload, on the naive store.
 *
 * @since 0.1.0
 * @category constants
 */
export const workloads: Readonly<Record<WorkloadName, NaiveWorkload>> = {
  ...SyncWorkload.common(ops, storeData, readAll),
  // Reads in bounded memory, snapshots and the state cache are Chronicle's (their stores leave naive out).
  "handle-cold": SyncWorkload.notRun,
  "read-all-1m": SyncWorkload.notRun,
  "read-all-1m-heap64": SyncWorkload.notRun,
  "load-100k": SyncWorkload.notRun,
  "load-100k-snapshot": SyncWorkload.notRun,
  export: SyncWorkload.notRun,
  import: SyncWorkload.notRun,
  "append-processes": SyncWorkload.notRun,
  "hold-1m": { setup: () => {}, run: SyncWorkload.appendRoundRobin(ops), held: jsonBytes },
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
