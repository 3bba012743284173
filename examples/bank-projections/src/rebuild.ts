/**
 * `pnpm example:rebuild`: regenerate a read model by replay. Seeds 200 accounts (about 10,000 events) on the first
 * run, brings the `account_balances` table up to date from its checkpoint, then rebuilds it from scratch with
 * progress, and checks the table against an in-memory replay.
 *
 * @since 0.1.0
 */
import { AccountBalances, Money } from "@chronicle/bank-account"
import { EventStore, Position, ProjectionRunner } from "@chronicle/core"
import { Count } from "@chronicle/cli"
import { Console, Effect } from "effect"
import * as AccountBalancesTable from "./AccountBalancesTable.js"
import { seed } from "./Seed.js"
import { main } from "./Stores.js"

const program = Effect.gen(function* () {
  yield* AccountBalancesTable.migrate
  const written = yield* seed(200, 49)
  const store = yield* EventStore.EventStore
  yield* Console.log(written > 0 ? `Seeded ${Count.of(written, "event")}` : "Events were seeded by an earlier run")
  yield* Console.log(`Head position: ${Position.format(yield* store.headPosition)}`)

  const caughtUp = yield* ProjectionRunner.catchUp(AccountBalancesTable.projection)
  yield* Console.log(
    `\nCatch-up from the stored checkpoint: now at position ${Position.format(caughtUp.position)} (${Count.of(caughtUp.processed, "new event")})`
  )

  yield* Console.log("\nRebuilding account_balances from scratch:")
  const done = yield* ProjectionRunner.rebuild(AccountBalancesTable.projection, {
    pageSize: 1000,
    onProgress: (p) =>
      Console.log(
        `  ${Count.of(p.processed, "event")} replayed, at position ${Position.format(p.position)} of ${Position.format(p.head)}, ${Count.format(p.eventsPerSecond)} events/s`
      )
  })
  yield* Console.log(`Rebuilt: ${Count.of(done.processed, "event")} replayed`)

  const accounts = yield* AccountBalancesTable.accounts
  yield* Console.log(
    `\n${Count.of(accounts.length, "account")}, total held ${Money.format(yield* AccountBalancesTable.totalHeld)}; the first three:`
  )
  for (const row of accounts.slice(0, 3)) {
    yield* Console.log(
      `  ${row.accountId}  ${row.owner.padEnd(10)} ${Money.format(row.balance).padStart(14)}  ${row.status}`
    )
  }
  const replayed = AccountBalances.accounts(yield* AccountBalances.asOf(done.position))
  const same =
    replayed.length === accounts.length &&
    replayed.every((row, i) => row.accountId === accounts[i]!.accountId && row.balance === accounts[i]!.balance)
  yield* Console.log(`\nThe table ${same ? "equals" : "DIFFERS FROM"} an in-memory replay of the same events.`)
})

main(
  {
    name: "rebuild",
    summary:
      "Regenerates a read model by replay: seeds 200 bank accounts (10,000 events) on the first run, brings the\n" +
      "account_balances SQL table up to date from its checkpoint, rebuilds it from scratch with progress, and checks\n" +
      "the table against an in-memory replay of the same events.",
    flags: {}
  },
  () => program
)
