/**
 * The demonstration's decisions across accounts (`Bank`): a transfer as one decision over both balances, appended to
 * both accounts at once; an account number another account has, refused; a customer's daily withdrawal limit. Each is
 * a read by query (the accounts' tags), a pure decision, and an append conditioned on nothing matching having changed.
 *
 * @since 0.1.0
 */
import { Bank, BankAccount, Money } from "@chronicle/bank-account"
import { Clock, Console, Effect, Either } from "effect"

const dollars = (amount: number) => Money.format(amount)

/** What a refused decision says: its rule, nothing recorded. */
const refused = (error: { readonly _tag: string }) => `refused, ${error._tag} (nothing recorded)`

/**
 * The daily withdrawal limit the demonstration's bank applies.
 *
 * @since 0.1.0
 * @category constants
 */
export const dailyLimit: Money.Money = Money.unsafeMake(100_000)

/**
 * The section: a transfer from ACC-002 to ACC-001, ACC-003 under ACC-001's account number, and two withdrawals by
 * ACC-002's customer on today's date (from `Clock`; the decision itself reads no clock).
 *
 * @since 0.1.0
 * @category programs
 */
export const run: Effect.Effect<void, Bank.DecisionError, Bank.Bank | BankAccount.BankAccount> = Effect.gen(
  function* () {
    const bank = yield* Bank.Bank
    const accounts = yield* BankAccount.BankAccount
    const balance = (accountId: string) =>
      Effect.map(accounts.load(accountId), (loaded) => dollars(BankAccount.balanceOf(loaded.state)))
    yield* Console.log(`\n--- Decisions across accounts (tags, reads by query, conditional appends) ---`)

    const transfer = yield* Effect.either(bank.transfer("ACC-002", "ACC-001", 25_000))
    yield* Console.log(
      `Transfer ${dollars(25_000)} from ACC-002 to ACC-001, one decision over both balances: ${
        Either.isRight(transfer)
          ? `both accounts appended at once (${transfer.right.length} streams)`
          : refused(transfer.left)
      }`
    )
    yield* Console.log(`  ACC-001 ${yield* balance("ACC-001")}, ACC-002 ${yield* balance("ACC-002")}`)

    const duplicate = yield* Effect.either(
      bank.open("ACC-003", { ownerName: "Mallory", customerId: "CUST-3", accountNumber: "1001" })
    )
    yield* Console.log(
      `Open ACC-003 under account number 1001 (ACC-001's): ${Either.isRight(duplicate) ? "opened" : refused(duplicate.left)}`
    )

    const day = new Date(yield* Clock.currentTimeMillis).toISOString().slice(0, 10)
    yield* Console.log(`Daily withdrawal limit ${dollars(dailyLimit)} per customer, across their accounts; day ${day}:`)
    for (const amount of [60_000, 50_000]) {
      const withdrawal = yield* Effect.either(bank.withdraw("ACC-002", { customerId: "CUST-2", amount, day }))
      yield* Console.log(
        `  CUST-2 withdraws ${dollars(amount)} from ACC-002: ${
          Either.isRight(withdrawal)
            ? "done"
            : withdrawal.left._tag === "DailyLimitExceeded"
              ? `refused, DailyLimitExceeded (${dollars(withdrawal.left.withdrawn)} withdrawn that day)`
              : refused(withdrawal.left)
        }`
      )
    }
  }
)
