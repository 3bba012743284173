/**
 * The data of the benchmarks: bank account `MoneyDeposited` events, the streams they go to, and the layout of the
 * data the read workloads read. Every store is fed exactly the same sequence.
 *
 * @since 0.1.0
 */
import { BankAccount, type Money } from "@chronicle/bank-account"
import { EventStore, ExpectedVersion } from "@chronicle/core"
import { Effect } from "effect"
import { type Params, streamLength } from "./Workload.js"

/**
 * The amount of every deposit, in minor units.
 *
 * @since 0.1.0
 * @category constants
 */
export const amount = 100

/**
 * The `n`-th deposit of a stream (n from 1): `amount`, leaving a balance of `n × amount`. Built without validation
 * (the numbers are safe integers by construction), so the harness spends no time the stores are not charged for.
 *
 * @since 0.1.0
 * @category constructors
 */
export const deposit = (n: number): BankAccount.Event => ({
  _tag: "MoneyDeposited",
  amount: amount as Money.Money,
  balanceAfter: (n * amount) as Money.Money
})

/**
 * The deposits of a stream at versions `from + 1 ... from + count`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const deposits = (from: number, count: number): Array<BankAccount.Event> => {
  const out: Array<BankAccount.Event> = new Array(count)
  for (let i = 0; i < count; i++) out[i] = deposit(from + i + 1)
  return out
}

/**
 * The stream id of the `n`-th account of a workload.
 *
 * @since 0.1.0
 * @category constructors
 */
export const accountStream = (n: number): string => BankAccount.streamId(`acc-${n}`)

/**
 * The stream `read-stream` reads.
 *
 * @since 0.1.0
 * @category constants
 */
export const targetStream: string = BankAccount.streamId("target")

/**
 * One append of the stored data: events for a stream that is at `expectedVersion` before it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedAppend {
  readonly streamId: string
  readonly expectedVersion: number
  readonly events: ReadonlyArray<BankAccount.Event>
}

const roundRobin = function* (count: number, params: Params, versions: Array<number>, offset: { n: number }) {
  for (let appended = 0; appended < count; appended += params.batch) {
    const stream = offset.n++ % params.streams
    const size = Math.min(params.batch, count - appended)
    const from = versions[stream] ?? 0
    versions[stream] = from + size
    yield { streamId: accountStream(stream), expectedVersion: from, events: deposits(from, size) }
  }
}

/**
 * The appends that store the data of a read workload, in order.
 *
 * - `read-all`, `read-all-1m`: `events` in batches of `batch`, round-robin over `streams` streams;
 * - `read-stream`: the target stream, one batch at a time, each batch followed by an equal share of the `background`
 *   events of other streams, so that the stream's events are spread through the whole table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const plan = function* (params: Params, readStream: boolean): Generator<SeedAppend> {
  const versions: Array<number> = []
  const offset = { n: 0 }
  if (!readStream) {
    yield* roundRobin(params.events, params, versions, offset)
    return
  }
  const length = streamLength(params)
  const rounds = Math.ceil(length / params.batch)
  let target = 0
  for (let round = 0; round < rounds; round++) {
    const size = Math.min(params.batch, length - target)
    yield { streamId: targetStream, expectedVersion: target, events: deposits(target, size) }
    target += size
    yield* roundRobin(Math.floor(params.background / rounds), params, versions, offset)
  }
}

/**
 * Makes the appends of a plan through the `EventStore` in context, one after the other, each with its exact expected
 * version; returns the number of events appended.
 *
 * @since 0.1.0
 * @category running
 */
export const append = (plan: Iterable<SeedAppend>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let count = 0
    for (const next of plan) {
      const events = yield* BankAccount.codec.encodeAll(next.events)
      yield* store.append(next.streamId, events, { expectedVersion: ExpectedVersion.exact(next.expectedVersion) })
      count += next.events.length
    }
    return count
  })
