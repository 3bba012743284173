import { BankAccount, Money } from "@chronicle/bank-account"
import { EventStore, Position } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Layer, Stream, TestClock } from "effect"

const accounts = BankAccount.layer.pipe(Layer.provideMerge(InMemoryEventStore.layer))

const stored = (accountId: string) =>
  EventStore.readStream(BankAccount.streamId(accountId)).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))

describe("BankAccount service", () => {
  it.effect("opens, deposits, withdraws and closes by account id, on that account's stream", () =>
    Effect.gen(function* () {
      const bank = yield* BankAccount.BankAccount
      yield* TestClock.setTime(1_000)
      const opened = yield* bank.open("SVC-1", "Ada")
      assert.deepStrictEqual(opened.events, [
        { _tag: "AccountOpened", accountId: "SVC-1", ownerName: "Ada", openedAt: new Date(1_000) }
      ])
      assert.strictEqual(opened.version, 1)
      assert.strictEqual((yield* bank.deposit("SVC-1", 2_500)).version, 2)
      const withdrawn = yield* bank.withdraw("SVC-1", 2_500)
      assert.strictEqual(BankAccount.balanceOf(withdrawn.state), Money.zero)
      yield* TestClock.setTime(5_000)
      const closed = yield* bank.close("SVC-1", "moving")
      assert.deepStrictEqual(closed.events, [{ _tag: "AccountClosed", reason: "moving", closedAt: new Date(5_000) }])
      assert.strictEqual(closed.state._tag, "Closed")

      const events = yield* stored("SVC-1")
      assert.deepStrictEqual(
        events.map((e) => [e.streamId, e.version, e.type]),
        [
          ["BankAccount-SVC-1", 1, "AccountOpened"],
          ["BankAccount-SVC-1", 2, "MoneyDeposited"],
          ["BankAccount-SVC-1", 3, "MoneyWithdrawn"],
          ["BankAccount-SVC-1", 4, "AccountClosed"]
        ]
      )
    }).pipe(Effect.provide(accounts))
  )

  it.effect("keeps accounts apart: a deposit to one leaves the other as it was", () =>
    Effect.gen(function* () {
      const bank = yield* BankAccount.BankAccount
      yield* bank.open("SVC-A", "Ann")
      yield* bank.open("SVC-B", "Bob")
      yield* bank.deposit("SVC-A", 700)
      const a = yield* bank.load("SVC-A")
      const b = yield* bank.load("SVC-B")
      assert.deepStrictEqual([BankAccount.balanceOf(a.state), a.version], [700, 2])
      assert.deepStrictEqual([BankAccount.balanceOf(b.state), b.version], [0, 1])
      assert.strictEqual(b.state._tag === "Active" && b.state.accountId, "SVC-B")
    }).pipe(Effect.provide(accounts))
  )

  it.effect("answers with the domain's typed errors and records nothing for them", () =>
    Effect.gen(function* () {
      const bank = yield* BankAccount.BankAccount
      const notOpened = yield* Effect.flip(bank.deposit("SVC-NONE", 100))
      assert.strictEqual(notOpened._tag, "AccountNotFound")
      yield* bank.open("SVC-POOR", "Pat")
      const overdrawn = yield* Effect.flip(bank.withdraw("SVC-POOR", 1))
      assert.deepStrictEqual(
        overdrawn,
        new BankAccount.InsufficientFunds({ balance: Money.zero, amount: Money.unsafeMake(1) })
      )
      const twice = yield* Effect.flip(bank.open("SVC-POOR", "Pat"))
      assert.strictEqual(twice._tag, "AccountAlreadyOpened")
      const badAmount = yield* Effect.flip(bank.deposit("SVC-POOR", -5))
      assert.strictEqual(badAmount._tag, "InvalidAmount")
      assert.strictEqual((yield* stored("SVC-POOR")).length, 1)
      assert.strictEqual((yield* stored("SVC-NONE")).length, 0)
    }).pipe(Effect.provide(accounts))
  )

  it.effect("passes metadata on to the recorded events", () =>
    Effect.gen(function* () {
      const bank = yield* BankAccount.BankAccount
      yield* bank.open("SVC-META", "Meg", { metadata: { correlationId: "request-7" } })
      const [event] = yield* stored("SVC-META")
      assert.strictEqual(event?.metadata.correlationId, "request-7")
    }).pipe(Effect.provide(accounts))
  )

  it.effect("loads an account at a past version by its id", () =>
    Effect.gen(function* () {
      const bank = yield* BankAccount.BankAccount
      yield* bank.open("SVC-PAST", "Tess")
      yield* bank.deposit("SVC-PAST", 1_000)
      yield* bank.withdraw("SVC-PAST", 300)
      const atTwo = yield* bank.loadAt("SVC-PAST", { version: 2 })
      assert.deepStrictEqual([BankAccount.balanceOf(atTwo.state), atTwo.version], [1_000, 2])
    }).pipe(Effect.provide(accounts))
  )
})

describe("BankAccount.handler and another account's stream", () => {
  const openB = BankAccount.OpenAccount.make({ accountId: "WRONG-B", ownerName: "Bob", openedAt: new Date(0) })

  it.effect("refuses an OpenAccount for account B on account A's stream, writing nothing anywhere", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(BankAccount.handler.handle(BankAccount.streamId("WRONG-A"), openB))
      assert.deepStrictEqual(
        error,
        new BankAccount.AccountIdMismatch({ accountId: "WRONG-B", streamId: "BankAccount-WRONG-A" })
      )
      assert.deepStrictEqual(yield* EventStore.headPosition, Position.start)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("refuses it on an open account's stream too, and on a stream of another category", () =>
    Effect.gen(function* () {
      const a = BankAccount.streamId("WRONG-C")
      yield* BankAccount.handler.handle(
        a,
        BankAccount.OpenAccount.make({ accountId: "WRONG-C", ownerName: "Cy", openedAt: new Date(0) })
      )
      const onOpen = yield* Effect.flip(BankAccount.handler.handle(a, openB))
      assert.strictEqual(onOpen._tag, "AccountIdMismatch")
      const elsewhere = yield* Effect.flip(BankAccount.handler.handle("Order-WRONG-B", openB))
      assert.strictEqual(elsewhere._tag, "AccountIdMismatch")
      assert.strictEqual(Position.format(yield* EventStore.headPosition), "1")
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it("checkStream lets an opening through only on its own account's stream, and other commands anywhere", () => {
    assert.isTrue(Either.isRight(BankAccount.checkStream("BankAccount-WRONG-B", openB)))
    assert.isTrue(Either.isLeft(BankAccount.checkStream("BankAccount-WRONG-A", openB)))
    assert.isTrue(Either.isLeft(BankAccount.checkStream("WRONG-B", openB)))
    const deposit = BankAccount.Deposit.make({ amount: 1 })
    assert.deepStrictEqual(BankAccount.checkStream("BankAccount-WRONG-A", deposit), Either.right(deposit))
  })
})
