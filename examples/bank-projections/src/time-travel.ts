/**
 * `pnpm example:time-travel`: rebuild any past state. Records a short history for ACC-TT (appending a fresh one on
 * every run), then shows the account at each version, at instants between events and before it existed, and the
 * balance read model as of a global position.
 *
 * @since 0.1.0
 */
import { AccountBalances, BankAccount, Money } from "@chronicle/bank-account"
import { EventStore, Position } from "@chronicle/core"
import { Clock, Console, Effect, Option, Stream } from "effect"
import { main } from "./Stores.js"

const describe = (loaded: { readonly state: BankAccount.State; readonly version: number }) =>
  loaded.state._tag === "NotOpened"
    ? `not opened yet (version ${loaded.version})`
    : `${loaded.state._tag}, balance ${Money.format(loaded.state.balance)} (version ${loaded.version})`

const program = Effect.gen(function* () {
  const accounts = yield* BankAccount.BankAccount
  const accountId = `ACC-TT-${yield* Clock.currentTimeMillis}`
  const id = BankAccount.streamId(accountId)
  const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))
  const before = yield* now
  yield* Effect.sleep("20 millis")
  yield* accounts.open(accountId, "Tim Travel")
  const steps = [
    accounts.deposit(accountId, 100_000),
    accounts.withdraw(accountId, 25_000),
    accounts.deposit(accountId, 5_000)
  ]
  const between: Array<Date> = []
  for (const step of steps) {
    yield* Effect.sleep("20 millis")
    between.push(yield* now)
    yield* Effect.sleep("20 millis")
    yield* step
  }

  yield* Console.log(`History of ${accountId}:`)
  let previousPosition = Position.start
  let lastPosition = Position.start
  yield* EventStore.readStream(id).pipe(
    Stream.runForEach((event) =>
      Effect.sync(() => {
        previousPosition = lastPosition
        lastPosition = event.position
      }).pipe(
        Effect.zipRight(
          Console.log(
            `  version ${event.version}, position ${Position.format(event.position)}, recorded ${event.recordedAt.toISOString()}: ${event.type} ${JSON.stringify(event.data)}`
          )
        )
      )
    )
  )

  yield* Console.log("\nThe account at each version:")
  for (let version = 0; version <= steps.length + 1; version++) {
    yield* Console.log(`  at version ${version}: ${describe(yield* accounts.loadAt(accountId, { version }))}`)
  }
  yield* Console.log("\nThe account at points in time:")
  yield* Console.log(
    `  ${before.toISOString()} (before it existed): ${describe(yield* accounts.loadAt(accountId, { time: before }))}`
  )
  for (const time of between) {
    yield* Console.log(
      `  ${time.toISOString()} (between two events): ${describe(yield* accounts.loadAt(accountId, { time }))}`
    )
  }

  yield* Console.log("\nThe balance read model as of this account's next-to-last event, and its last:")
  for (const position of [previousPosition, lastPosition]) {
    const model = yield* AccountBalances.asOf(position)
    const row = AccountBalances.balance(model, accountId)
    yield* Console.log(
      `  as of position ${Position.format(position)}: ${Option.match(row, { onNone: () => "not in the model", onSome: (r) => Money.format(r.balance) })}, total held ${Money.format(AccountBalances.totalHeld(model))}`
    )
  }
})

main(
  {
    name: "time-travel",
    summary:
      "Rebuilds past states: records a short history for a new account on every run, then shows the account at\n" +
      "each version, at instants between its events and before it existed, and the balance read model as of a\n" +
      "global position.",
    flags: {}
  },
  () => Effect.provide(program, BankAccount.layer)
)
