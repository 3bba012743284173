// The bank's decisions across accounts (`Bank`), handled on the in-memory store and on SQLite: a transfer as one
// atomic decision, unique account numbers, a customer's daily withdrawal limit across accounts — also under
// concurrent writers, where the conditions make exactly the allowed decisions commit.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Bank, BankAccount, Money } from "@chronicle/bank-account"
import { EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, TestServices } from "effect"
import { SqliteEventStore } from "../src/index.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-bank-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const stores = [
  ["InMemoryEventStore", InMemoryEventStore.layer],
  ["SqliteEventStore (file)", SqliteEventStore.layer({ filename: path.join(dir, "bank.db") })]
] as const

const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`
const balanceOf = (accountId: string) =>
  Effect.flatMap(BankAccount.BankAccount, (accounts) =>
    Effect.map(accounts.load(accountId), (loaded) => BankAccount.balanceOf(loaded.state))
  )

/** Opens an account for a customer under a fresh number, and pays `amount` in through the account handler. */
const funded = (customerId: string, amount: number) =>
  Effect.gen(function* () {
    const accountId = unique("ACC")
    yield* (yield* Bank.Bank).open(accountId, { ownerName: "Jane", customerId, accountNumber: unique("NO") })
    if (amount > 0) yield* (yield* BankAccount.BankAccount).deposit(accountId, amount)
    return accountId
  })

const outcomes = <A, E extends { readonly _tag: string }, R>(effects: ReadonlyArray<Effect.Effect<A, E, R>>) =>
  Effect.all(effects.map(Effect.either), { concurrency: "unbounded" }).pipe(TestServices.provideLive)

for (const [name, store] of stores) {
  // it.layer memoizes layers by reference across files' describes: each store gets a fresh account service.
  const layer = Layer.provideMerge(
    Layer.merge(Bank.layer({ dailyLimit: Money.unsafeMake(1_000) }), Layer.fresh(BankAccount.layer)),
    store
  )
  describe(`Bank on ${name}`, () => {
    it.layer(layer)((it) => {
      it.effect("an account whose stream holds untagged events (written before tags) is never opened again", () =>
        Effect.gen(function* () {
          const accountId = unique("OLD")
          // An opening as a release without tags wrote it: no tag names the account or its number.
          yield* EventStore.append(BankAccount.streamId(accountId), [
            {
              type: "AccountOpened",
              data: { accountId, ownerName: "Old", openedAt: "2026-01-01T00:00:00.000Z" }
            }
          ])
          const bank = yield* Bank.Bank
          const refused = yield* Effect.flip(
            bank.open(accountId, { ownerName: "New", customerId: "CUST-OLD", accountNumber: unique("NO") })
          )
          assert.strictEqual(refused._tag, "AccountAlreadyOpened")
          assert.strictEqual(yield* EventStore.streamVersion(BankAccount.streamId(accountId)), 1)
        })
      )

      it.effect("a transfer moves money between two accounts in one append of both", () =>
        Effect.gen(function* () {
          const bank = yield* Bank.Bank
          const [a, b] = [yield* funded("CUST", 500), yield* funded("CUST", 0)]
          const results = yield* bank.transfer(a, b, 300)
          assert.strictEqual(results.length, 2)
          assert.deepStrictEqual([yield* balanceOf(a), yield* balanceOf(b)], [200, 300])
          const refused = yield* Effect.flip(bank.transfer(a, b, 201))
          assert.strictEqual(refused._tag, "InsufficientFunds")
          assert.deepStrictEqual([yield* balanceOf(a), yield* balanceOf(b)], [200, 300])
          // The account handler's own writes are seen by the next decision (its events carry the account's tag).
          yield* (yield* BankAccount.BankAccount).withdraw(a, 150)
          assert.strictEqual((yield* Effect.flip(bank.transfer(a, b, 51)))._tag, "InsufficientFunds")
        })
      )

      it.effect("concurrent transfers out of one account never overdraw it", () =>
        Effect.gen(function* () {
          const bank = yield* Bank.Bank
          const source = yield* funded("CUST", 1_000)
          const targets = [yield* funded("CUST", 0), yield* funded("CUST", 0)]
          const done = yield* outcomes(Array.from({ length: 8 }, (_, i) => bank.transfer(source, targets[i % 2]!, 300)))
          assert.strictEqual(done.filter(Either.isRight).length, 3)
          for (const failed of done.filter(Either.isLeft)) assert.strictEqual(failed.left._tag, "InsufficientFunds")
          assert.strictEqual(yield* balanceOf(source), 100)
          assert.strictEqual((yield* balanceOf(targets[0]!)) + (yield* balanceOf(targets[1]!)), 900)
        })
      )

      it.effect("an account number is unique across the bank, also when two openings race", () =>
        Effect.gen(function* () {
          const bank = yield* Bank.Bank
          const number = unique("NO")
          const opening = { ownerName: "Jane", customerId: "CUST", accountNumber: number }
          yield* bank.open(unique("ACC"), opening)
          const refused = yield* Effect.flip(bank.open(unique("ACC"), opening))
          assert.deepStrictEqual(refused, new BankAccount.AccountNumberTaken({ accountNumber: number }))
          const raced = unique("NO")
          const done = yield* outcomes(
            Array.from({ length: 6 }, () => bank.open(unique("ACC"), { ...opening, accountNumber: raced }))
          )
          assert.strictEqual(done.filter(Either.isRight).length, 1)
          for (const failed of done.filter(Either.isLeft)) assert.strictEqual(failed.left._tag, "AccountNumberTaken")
        })
      )

      it.effect("a customer's withdrawals on one day stay within the limit across accounts", () =>
        Effect.gen(function* () {
          const bank = yield* Bank.Bank
          const customerId = unique("CUST")
          const [a, b] = [yield* funded(customerId, 5_000), yield* funded(customerId, 5_000)]
          const day = "2024-03-01"
          yield* bank.withdraw(a, { customerId, amount: 600, day })
          yield* bank.withdraw(b, { customerId, amount: 300, day })
          const refused = yield* Effect.flip(bank.withdraw(b, { customerId, amount: 101, day }))
          assert.strictEqual(refused._tag, "DailyLimitExceeded")
          yield* bank.withdraw(b, { customerId, amount: 100, day })
          yield* bank.withdraw(a, { customerId, amount: 1_000, day: "2024-03-02" })
          const other = yield* Effect.flip(bank.withdraw(a, { customerId: unique("CUST"), amount: 1, day }))
          assert.strictEqual(other._tag, "CustomerMismatch")
          // Racing withdrawals from both accounts: exactly as many as the limit allows.
          const racing = Array.from({ length: 6 }, (_, i) =>
            bank.withdraw(i % 2 === 0 ? a : b, { customerId, amount: 300, day: "2024-03-03" })
          )
          const done = yield* outcomes(racing)
          assert.strictEqual(done.filter(Either.isRight).length, 3)
          for (const failed of done.filter(Either.isLeft)) assert.strictEqual(failed.left._tag, "DailyLimitExceeded")
          assert.strictEqual((yield* balanceOf(a)) + (yield* balanceOf(b)), 10_000 - 2_000 - 900)
        })
      )
    })
  })
}
