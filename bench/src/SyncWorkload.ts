/**
 * The workloads of the baselines (`bare`, `lean`, `naive`): plain synchronous code, written once over the few
 * operations a baseline store offers, so every baseline does exactly the same work around its store.
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { Either } from "effect"
import * as Seed from "./Seed.js"
import { type Params, streamLength } from "./Workload.js"

/**
 * A workload on a baseline store: `setup` stores the data a repetition needs (not timed), `run` is the timed part and
 * returns the number of events it processed (checked against the parameters). `held`, for workloads that measure
 * memory, returns the size in bytes of the store's events as JSON.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyncWorkload<S> {
  readonly setup: (store: S, params: Params) => void
  readonly run: (store: S, params: Params) => number
  readonly held?: (store: S) => number
}

/**
 * What the workloads need of a baseline store: append a stream's next deposits or decided events at an expected
 * version (returning the new version), and visit a stream's events with their versions, oldest first.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operations<S> {
  readonly append: (
    store: S,
    streamId: string,
    events: ReadonlyArray<BankAccount.Event>,
    expectedVersion: number
  ) => number
  readonly forEachInStream: (store: S, streamId: string, f: (event: BankAccount.Event, version: number) => void) => void
}

/**
 * A workload that is not run on this store (its `stores` leave the store out).
 *
 * @since 0.1.0
 * @category constructors
 */
export const notRun: SyncWorkload<unknown> = { setup: () => undefined, run: () => 0 }

/** Makes the appends of a plan, one after the other; returns the number of events appended. */
const appendAll = <S>(ops: Operations<S>, store: S, plan: Iterable<Seed.SeedAppend>) => {
  let count = 0
  for (const append of plan) {
    ops.append(store, append.streamId, append.events, append.expectedVersion)
    count += append.events.length
  }
  return count
}

/**
 * Appends `events` in batches of `batch`, round-robin over `streams` streams (`Seed.plan`). Also the synchronous form
 * of `append-concurrent`: synchronous code has no concurrency, so 100 "fibers" are 100 interleaved streams.
 *
 * @since 0.1.0
 * @category workloads
 */
export const appendRoundRobin =
  <S>(ops: Operations<S>) =>
  (store: S, params: Params): number =>
    appendAll(ops, store, Seed.plan(params, false))

/**
 * Stores the data of a read workload (`Seed.plan`), one append after the other.
 *
 * @since 0.1.0
 * @category workloads
 */
export const storeData = <S>(ops: Operations<S>, store: S, params: Params, readStream: boolean): void => {
  appendAll(ops, store, Seed.plan(params, readStream))
}

/**
 * Checks that a read saw the events the data holds (every deposit is `Seed.amount`), and returns their count.
 *
 * @since 0.1.0
 * @category workloads
 */
export const check = (what: string, count: number, balance: number, expected: number): number => {
  if (count !== expected || balance !== expected * Seed.amount) {
    throw new Error(`${what}: read ${count} events worth ${balance}, expected ${expected}`)
  }
  return count
}

/**
 * `read-stream`: reads the target stream `passes` times, folding it into a balance.
 *
 * @since 0.1.0
 * @category workloads
 */
export const readStream =
  <S>(ops: Operations<S>) =>
  (store: S, params: Params): number => {
    const length = streamLength(params)
    let total = 0
    for (let pass = 0; pass < params.passes; pass++) {
      let count = 0
      let balance = 0
      ops.forEachInStream(store, Seed.targetStream, (event) => {
        count++
        if (event._tag === "MoneyDeposited") balance += event.amount
      })
      total += check("read-stream", count, balance, length)
    }
    return total
  }

/** Load (read and fold), decide, append the decided events with the loaded version as the expected version. */
const handleCommand = <S>(ops: Operations<S>, store: S, streamId: string, command: BankAccount.Command) => {
  let state = BankAccount.initialState
  let version = 0
  ops.forEachInStream(store, streamId, (event, at) => {
    state = BankAccount.evolve(state, event)
    version = at
  })
  const decided = BankAccount.decide(command, state)
  if (Either.isLeft(decided)) throw new Error(`rejected: ${decided.left._tag}`)
  ops.append(store, streamId, decided.right, version)
}

const openedAt = new Date(0)

/**
 * `handle`: opens `streams` accounts (setup), then deposits round-robin, each command loading its whole stream.
 *
 * @since 0.1.0
 * @category workloads
 */
export const handle = <S>(ops: Operations<S>): SyncWorkload<S> => ({
  setup: (store, params) => {
    for (let n = 0; n < params.streams; n++) {
      const command = BankAccount.OpenAccount.make({ accountId: `acc-${n}`, ownerName: `Owner ${n}`, openedAt })
      handleCommand(ops, store, Seed.accountStream(n), command)
    }
  },
  run: (store, params) => {
    const ids = Array.from({ length: params.streams }, (_, n) => Seed.accountStream(n))
    const command = BankAccount.Deposit.make({ amount: Seed.amount })
    for (let i = 0; i < params.events; i++) handleCommand(ops, store, ids[i % params.streams]!, command)
    return params.events
  }
})

const noSetup = () => {}

/**
 * The workloads every baseline runs alike, given how it stores the data of a read workload and reads everything.
 *
 * @since 0.1.0
 * @category workloads
 */
export const common = <S>(
  ops: Operations<S>,
  storeData: (readStream: boolean) => (store: S, params: Params) => void,
  readAll: (store: S, params: Params) => number
) => {
  const appends = { setup: noSetup, run: appendRoundRobin(ops) }
  return {
    "append-single": appends,
    "append-batch": appends,
    "append-concurrent": appends,
    "read-stream": { setup: storeData(true), run: readStream(ops) },
    "read-all": { setup: storeData(false), run: readAll },
    handle: handle(ops)
  }
}
