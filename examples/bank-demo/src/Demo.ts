/**
 * The original design's demonstration as an Effect program: accounts, transactions, the event stream, the balance
 * projection, reloading from events, and optimistic concurrency. Runs on whichever `EventStore` it is given.
 *
 * @since 0.1.0
 */
import { AccountBalances, Bank, BankAccount, Money } from "@chronicle/bank-account"
import { EventStore, ExpectedVersion, Position } from "@chronicle/core"
import { Count } from "@chronicle/cli"
import { Console, Effect, Either, Option, Stream } from "effect"
import * as Decisions from "./Decisions.js"

const rule = "=".repeat(64)
const section = (title: string) => Console.log(`\n--- ${title} ---`)
const dollars = (amount: number) => Money.format(amount)
const n = Count.format

/**
 * Opens an account through the bank (for a customer, under an account number no other account has), or says it
 * exists already (a second run continues its history).
 */
const openAccount = (accountId: string, ownerName: string) =>
  Effect.gen(function* () {
    const bank = yield* Bank.Bank
    const customerId = `CUST-${accountId.slice(-1)}`
    const accountNumber = `1${accountId.slice(-3)}`
    return yield* bank.open(accountId, { ownerName, customerId, accountNumber }).pipe(
      Effect.tap(([r]) =>
        Console.log(
          `Opened ${accountId} for ${ownerName} (stream version ${n(r!.version)}), customer ${customerId}, account number ${accountNumber}`
        )
      ),
      Effect.catchTag("AccountAlreadyOpened", () =>
        Console.log(`${accountId} exists already: continuing its history from an earlier run`)
      )
    )
  })

const transact = (accountId: string, kind: "Deposit" | "Withdraw", amount: number) =>
  Effect.gen(function* () {
    const accounts = yield* BankAccount.BankAccount
    const result = yield* kind === "Deposit"
      ? accounts.deposit(accountId, amount)
      : accounts.withdraw(accountId, amount)
    yield* Console.log(
      `${kind.padEnd(9)} ${dollars(amount).padStart(10)}  -> balance ${dollars(BankAccount.balanceOf(result.state))} (v${n(result.version)})`
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
 * What the demonstration runs on: an event store, and the `BankAccount` and `Bank` services over it.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = EventStore.EventStore | BankAccount.BankAccount | Bank.Bank

/**
 * The demonstration, through the `BankAccount` service (account ids in, never stream ids) and, to show optimistic
 * concurrency, the `EventStore` itself.
 *
 * @since 0.1.0
 * @category programs
 */
export const run: Effect.Effect<void, BankAccount.HandleError | Bank.DecisionError, Services> = Effect.gen(
  function* () {
    const accounts = yield* BankAccount.BankAccount
    yield* Console.log(rule)
    yield* Console.log("EVENT SOURCING BASICS: a bank account on Chronicle")
    yield* Console.log(rule)

    yield* section("Creating Account")
    yield* openAccount("ACC-001", "John Doe")

    yield* section("Performing Transactions (amounts in cents, shown in dollars)")
    yield* transact("ACC-001", "Deposit", 100_000)
    yield* transact("ACC-001", "Deposit", 50_000)
    yield* transact("ACC-001", "Withdraw", 30_000)
    yield* transact("ACC-001", "Withdraw", 20_000)

    yield* section("A rule the domain enforces")
    const overdraft = yield* Effect.either(accounts.withdraw("ACC-001", 99_999_999))
    yield* Console.log(
      Either.isLeft(overdraft)
        ? `Withdraw ${dollars(99_999_999)} rejected: ${overdraft.left._tag}, nothing recorded`
        : "Withdraw of more than the balance went through: this must not happen"
    )

    yield* section("Event Stream ACC-001")
    yield* Console.log("version: the event's place in the account's stream; position: its place in the whole store")
    // Each event is checked against its schema, and shown as stored.
    const stream = EventStore.readStream(BankAccount.streamId("ACC-001")).pipe(
      Stream.mapEffect((event) => Effect.as(BankAccount.codec.decodeData(event), event))
    )
    yield* Stream.runForEach(stream, (event) =>
      Console.log(
        `  version ${n(event.version)}, position ${Position.format(event.position)}: ${event.type} ${JSON.stringify(event.data)}`
      )
    )

    yield* section("Building Projection")
    let balances = yield* project(AccountBalances.initial)
    yield* Option.match(AccountBalances.balance(balances, "ACC-001"), {
      onNone: () => Console.log("ACC-001 is not in the read model"),
      onSome: showAccount
    })

    yield* section("Creating Second Account")
    yield* openAccount("ACC-002", "Jane Smith")
    yield* transact("ACC-002", "Deposit", 200_000)

    balances = yield* project(balances)
    yield* section(`All Accounts (read model at position ${Position.format(balances.position)})`)
    yield* Effect.forEach(AccountBalances.accounts(balances), showAccount, { discard: true })
    yield* Console.log(`Total in bank: ${dollars(AccountBalances.totalHeld(balances))}`)

    yield* section("Reloading Account from Events")
    const reloaded = yield* accounts.load("ACC-001")
    yield* Console.log(
      `Reloaded ACC-001: ${reloaded.state._tag}, balance ${dollars(BankAccount.balanceOf(reloaded.state))}, version ${n(reloaded.version)}`
    )

    yield* section("Concurrency Conflict Demo")
    // Beneath the service: two writers append to the stream themselves, each expecting the version it loaded.
    const id = BankAccount.streamId("ACC-001")
    const first = yield* accounts.load("ACC-001")
    const second = yield* accounts.load("ACC-001")
    yield* Console.log(`Two writers load ACC-001 at version ${n(first.version)}`)
    const appendAt = (loaded: typeof first, amount: number) =>
      Effect.gen(function* () {
        const events = Either.getOrThrow(BankAccount.decider.decide(BankAccount.Deposit.make({ amount }), loaded.state))
        const encoded = Either.getOrThrow(BankAccount.codec.encodeAll(events))
        return yield* EventStore.append(id, encoded, { expectedVersion: ExpectedVersion.exact(loaded.version) })
      })
    const won = yield* appendAt(first, 10_000)
    yield* Console.log(`Writer 1 deposits ${dollars(10_000)}: stored, stream now at version ${n(won.version)}`)
    yield* appendAt(second, 5_000).pipe(
      Effect.flatMap(() => Console.log("Writer 2 was not stopped: this must not happen")),
      Effect.catchTag("WrongExpectedVersion", (conflict) =>
        Console.log(`Writer 2 deposits ${dollars(5_000)}: conflict detected (${conflict.message})`)
      )
    )
    yield* Console.log("Now both deposit at once through the BankAccount service, whose handler retries on a conflict:")
    const both = yield* Effect.all([accounts.deposit("ACC-001", 10_000), accounts.deposit("ACC-001", 5_000)], {
      concurrency: 2
    })
    for (const [i, result] of both.entries()) {
      yield* Console.log(`  writer ${i + 1}: stored at version ${n(result.version)}`)
    }
    const final = yield* accounts.load("ACC-001")
    yield* Console.log(
      `ACC-001 after both: balance ${dollars(BankAccount.balanceOf(final.state))}, version ${n(final.version)}`
    )

    yield* Decisions.run

    yield* Console.log("\nDemo complete.")
  }
)
