/**
 * `pnpm example:snapshots`: load a long stream fast. One account gets 10,000 transactions (`--transactions N` for
 * another number); it is then loaded by a handler that replays every event and by one that starts from the latest
 * snapshot (taken every 100 events), and the two are compared: the same state, far fewer events read.
 *
 * @since 0.1.0
 */
import { BankAccount, Money } from "@chronicle/bank-account"
import { CommandHandler, EventStore, SnapshotStore } from "@chronicle/core"
import { Count } from "@chronicle/cli"
import { CommandLine } from "@chronicle/example-cli"
import { Clock, Console, Effect } from "effect"
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

/** Prints how far a long recording has come, ten times in all. */
const progress = (done: number, total: number) =>
  done % Math.max(1, Math.ceil(total / 10)) === 0 || done === total
    ? Console.log(`  ${Count.format(done)} of ${Count.of(total, "transaction")} recorded`)
    : Effect.void

const program = (transactions: number) =>
  Effect.gen(function* () {
    const accountId = "ACC-LONG"
    const id = BankAccount.streamId(accountId)
    const existing = yield* EventStore.streamVersion(id)
    if (existing === 0) {
      yield* Console.log(
        `Recording ${Count.of(transactions, "transaction")} on ACC-LONG through the snapshotting handler:`
      )
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
        yield* progress(i + 1, transactions)
      }
    } else {
      yield* Console.log(`ACC-LONG exists (version ${Count.format(existing)}); adding 37 deposits`)
      for (let i = 0; i < 37; i++) yield* snapshotting.handle(id, BankAccount.Deposit.make({ amount: 100 }))
    }
    const snapshot = yield* Effect.flatMap(SnapshotStore.SnapshotStore, (s) => s.load(id))
    if (snapshot._tag === "Some")
      yield* Console.log(
        `Latest snapshot: version ${Count.format(snapshot.value.version)}, schema ${snapshot.value.schemaVersion}`
      )

    const full = yield* measured(BankAccount.handler.load(id))
    const fast = yield* measured(snapshotting.load(id))
    const show = (label: string, m: typeof full) =>
      Console.log(
        `${label.padEnd(24)} version ${Count.format(m.result.version)}, balance ${Money.format(BankAccount.balanceOf(m.result.state))}, ${Count.of(m.read, "event")} read, ${Count.format(m.millis)} ms`
      )
    yield* show("Full replay:", full)
    yield* show("Snapshot + tail:", fast)
    const same = JSON.stringify(full.result) === JSON.stringify(fast.result)
    yield* Console.log(`\nBoth loads give ${same ? "the same" : "A DIFFERENT"} state.`)
  })

main(
  {
    name: "snapshots",
    summary:
      "Loads a long stream fast: records 10,000 transactions on one account through a handler that snapshots\n" +
      "every 100 events (37 more deposits on later runs), then loads the account by full replay and from its latest\n" +
      "snapshot, and compares the two: the same state, from far fewer events.",
    flags: { transactions: CommandLine.integer("N", "how many transactions the first run records (default: 10,000)") }
  },
  ({ transactions }) => program(transactions ?? 10_000)
)
