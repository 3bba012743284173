/**
 * The original design's demonstration as an Effect program: accounts, transactions, the event stream, the balance
 * projection, reloading from events, and optimistic concurrency. Runs on whichever `EventStore` it is given.
 *
 * @since 0.1.0
 */
import { AccountBalances, BankAccount, Money } from "@chronicle/bank-account"
import { type CommandHandler, EventStore, ExpectedVersion } from "@chronicle/core"
import { Clock, Console, Effect, Either, Option, Stream } from "effect"

const rule = "=".repeat(64)
const section = (title: string) => Console.log(`\n--- ${title} ---`)
const dollars = (amount: number) => Money.format(amount)

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

/** Opens an account, or says it exists already (a second run continues its history). */
const openAccount = (accountId: string, ownerName: string) =>
  Effect.gen(function* () {
    const openedAt = yield* now
    const command = BankAccount.OpenAccount.make({ accountId, ownerName, openedAt })
    return yield* BankAccount.handler.handle(BankAccount.streamId(accountId), command).pipe(
      Effect.tap((r) => Console.log(`Opened ${accountId} for ${ownerName} (stream version ${r.version})`)),
      Effect.catchTag("AccountAlreadyOpened", () =>
        Console.log(`${accountId} exists already: continuing its history from an earlier run`)
      )
    )
  })

const transact = (accountId: string, command: BankAccount.Command) =>
  Effect.gen(function* () {
    const result = yield* BankAccount.handler.handle(BankAccount.streamId(accountId), command)
    const balance = result.state._tag === "NotOpened" ? 0 : result.state.balance
    const amount = "amount" in command ? dollars(command.amount) : ""
    yield* Console.log(
      `${command._tag.padEnd(9)} ${amount.padStart(10)}  -> balance ${dollars(balance)} (v${result.version})`
    )
  })

/** Builds (or brings up to date) the balance read model from the global event order. */
const project = (model: AccountBalances.AccountBalances) =>
  EventStore.readAll({ after: model.position }).pipe(
    Stream.mapEffect((event) => BankAccount.codec.decode(event)),
    Stream.runFold(model, AccountBalances.apply)
  )

const showAccount = (row: AccountBalances.AccountBalance) =>
  Console.log(
    `  ${row.accountId.padEnd(8)} ${row.owner.padEnd(12)} ${dollars(row.balance).padStart(12)}  ${row.status.padEnd(6)}  updated ${row.lastUpdated.toISOString()}`
  )

/**
 * The demonstration.
 *
 * @since 0.1.0
 * @category programs
 */
export const run: Effect.Effect<
  void,
  CommandHandler.HandleError<BankAccount.BankAccountError>,
  EventStore.EventStore
> = Effect.gen(function* () {
  yield* Console.log(rule)
  yield* Console.log("EVENT SOURCING BASICS: a bank account on Chronicle")
  yield* Console.log(rule)

  yield* section("Creating Account")
  yield* openAccount("ACC-001", "John Doe")

  yield* section("Performing Transactions (amounts in cents, shown in dollars)")
  yield* transact("ACC-001", BankAccount.Deposit.make({ amount: 100_000 }))
  yield* transact("ACC-001", BankAccount.Deposit.make({ amount: 50_000 }))
  yield* transact("ACC-001", BankAccount.Withdraw.make({ amount: 30_000 }))
  yield* transact("ACC-001", BankAccount.Withdraw.make({ amount: 20_000 }))

  yield* section("A rule the domain enforces")
  const overdraft = yield* Effect.either(
    BankAccount.handler.handle(BankAccount.streamId("ACC-001"), BankAccount.Withdraw.make({ amount: 99_999_999 }))
  )
  yield* Console.log(
    Either.isLeft(overdraft)
      ? `Withdraw ${dollars(99_999_999)} rejected: ${overdraft.left._tag}, nothing recorded`
      : "Withdraw of more than the balance went through: this must not happen"
  )

  yield* section("Event Stream ACC-001")
  // Each event is checked against its schema, and shown as stored.
  const stream = EventStore.readStream(BankAccount.streamId("ACC-001")).pipe(
    Stream.mapEffect((event) => Effect.as(BankAccount.codec.decodeData(event), event))
  )
  yield* Stream.runForEach(stream, (event) =>
    Console.log(`${String(event.version).padStart(3)}. #${event.position} ${event.type}: ${JSON.stringify(event.data)}`)
  )

  yield* section("Building Projection")
  let balances = yield* project(AccountBalances.initial)
  yield* Option.match(AccountBalances.balance(balances, "ACC-001"), {
    onNone: () => Console.log("ACC-001 is not in the read model"),
    onSome: showAccount
  })

  yield* section("Creating Second Account")
  yield* openAccount("ACC-002", "Jane Smith")
  yield* transact("ACC-002", BankAccount.Deposit.make({ amount: 200_000 }))

  balances = yield* project(balances)
  yield* section(`All Accounts (read model at position ${balances.position})`)
  yield* Effect.forEach(AccountBalances.accounts(balances), showAccount, { discard: true })
  yield* Console.log(`Total in bank: ${dollars(AccountBalances.totalHeld(balances))}`)

  yield* section("Reloading Account from Events")
  const reloaded = yield* BankAccount.handler.load(BankAccount.streamId("ACC-001"))
  const balance = reloaded.state._tag === "NotOpened" ? 0 : reloaded.state.balance
  yield* Console.log(
    `Reloaded ACC-001: ${reloaded.state._tag}, balance ${dollars(balance)}, version ${reloaded.version}`
  )

  yield* section("Concurrency Conflict Demo")
  const id = BankAccount.streamId("ACC-001")
  const first = yield* BankAccount.handler.load(id)
  const second = yield* BankAccount.handler.load(id)
  yield* Console.log(`Two writers load ACC-001 at version ${first.version}`)
  const appendAt = (loaded: typeof first, amount: number) =>
    Effect.gen(function* () {
      const events = Either.getOrThrow(BankAccount.decider.decide(BankAccount.Deposit.make({ amount }), loaded.state))
      const encoded = Either.getOrThrow(BankAccount.codec.encodeAll(events))
      return yield* EventStore.append(id, encoded, { expectedVersion: ExpectedVersion.exact(loaded.version) })
    })
  const won = yield* appendAt(first, 10_000)
  yield* Console.log(`Writer 1 deposits ${dollars(10_000)}: stored, stream now at version ${won.version}`)
  yield* appendAt(second, 5_000).pipe(
    Effect.flatMap(() => Console.log("Writer 2 was not stopped: this must not happen")),
    Effect.catchTag("WrongExpectedVersion", (conflict) =>
      Console.log(`Writer 2 deposits ${dollars(5_000)}: conflict detected (${conflict.message})`)
    )
  )
  yield* Console.log("Now both go through the retrying CommandHandler at once:")
  const both = yield* Effect.all(
    [
      BankAccount.handler.handle(id, BankAccount.Deposit.make({ amount: 10_000 })),
      BankAccount.handler.handle(id, BankAccount.Deposit.make({ amount: 5_000 }))
    ],
    { concurrency: 2 }
  )
  for (const [i, result] of both.entries()) {
    yield* Console.log(`  handler ${i + 1}: stored at version ${result.version}`)
  }
  const final = yield* BankAccount.handler.load(id)
  const finalBalance = final.state._tag === "NotOpened" ? 0 : final.state.balance
  yield* Console.log(`ACC-001 after both: balance ${dollars(finalBalance)}, version ${final.version}`)

  yield* Console.log("\nDemo complete.")
})
