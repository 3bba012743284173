/**
 * `pnpm example:snapshots`: load a long stream fast. One account gets 10,000 transactions (or
 * `CHRONICLE_EXAMPLE_TRANSACTIONS`); it is then loaded by a
 * handler that replays every event and by one that starts from the latest snapshot (taken every 100 events), and
 * the two are compared: the same state, far fewer events read.
 *
 * @since 0.1.0
 */
import { BankAccount, Money } from "@chronicle/bank-account"
import { CommandHandler, EventStore, SnapshotStore } from "@chronicle/core"
import { Clock, Config, Console, Effect } from "effect"
import { main } from "./Stores.js"

const snapshotting = CommandHandler.make({
  decider: BankAccount.decider,
  codec: BankAccount.codec,
  snapshots: { schema: BankAccount.State, policy: SnapshotStore.every(100) }
})

/** Runs `load` with a store that counts the events read, and times it. */
const measured = <A, E, R>(load: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    let read = 0
    const counting: EventStore.EventStore["Type"] = {
      ...store,
      foldStream: (id, initial, step, options) =>
        store.foldStream(
          id,
          initial,
          (state, page) => {
            read += page.length
            return step(state, page)
          },
          options
        )
    }
    const start = yield* Clock.currentTimeMillis
    const result = yield* Effect.provideService(load, EventStore.EventStore, counting)
    return { result, read, millis: (yield* Clock.currentTimeMillis) - start }
  })

const program = Effect.gen(function* () {
  const accountId = "ACC-LONG"
  const id = BankAccount.streamId(accountId)
  const existing = yield* EventStore.streamVersion(id)
  const transactions = yield* Config.integer("CHRONICLE_EXAMPLE_TRANSACTIONS").pipe(Config.withDefault(10_000))
  if (existing === 0) {
    yield* Console.log(`Recording ${transactions} transactions on ACC-LONG through the snapshotting handler...`)
    yield* snapshotting.handle(
      id,
      BankAccount.OpenAccount.make({
        accountId,
        ownerName: "Long Stream",
        openedAt: new Date(yield* Clock.currentTimeMillis)
      })
    )
    for (let i = 0; i < transactions; i++) {
      yield* snapshotting.handle(
        id,
        i % 4 === 3 ? BankAccount.Withdraw.make({ amount: 50 }) : BankAccount.Deposit.make({ amount: 100 })
      )
    }
  } else {
    yield* Console.log(`ACC-LONG exists (version ${existing}); adding 37 deposits`)
    for (let i = 0; i < 37; i++) yield* snapshotting.handle(id, BankAccount.Deposit.make({ amount: 100 }))
  }
  const snapshot = yield* Effect.flatMap(SnapshotStore.SnapshotStore, (s) => s.load(id))
  if (snapshot._tag === "Some")
    yield* Console.log(`Latest snapshot: version ${snapshot.value.version}, schema ${snapshot.value.schemaVersion}`)

  const full = yield* measured(BankAccount.handler.load(id))
  const fast = yield* measured(snapshotting.load(id))
  const show = (label: string, m: typeof full) =>
    Console.log(
      `${label.padEnd(24)} version ${m.result.version}, balance ${Money.format(m.result.state._tag === "NotOpened" ? 0 : m.result.state.balance)}, ${m.read} events read, ${m.millis} ms`
    )
  yield* show("Full replay:", full)
  yield* show("Snapshot + tail:", fast)
  const same = JSON.stringify(full.result) === JSON.stringify(fast.result)
  yield* Console.log(`\nBoth loads give ${same ? "the same" : "A DIFFERENT"} state.`)
})

main("snapshots", program)
