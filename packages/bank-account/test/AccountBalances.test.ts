import { AccountBalances, BankAccount, Money } from "@chronicle/bank-account"
import { EventCodec, EventStore, Position, type RecordedEvent, StreamId } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Equal, FastCheck, Option, Schema, Stream, TestClock } from "effect"

const cents = Money.unsafeMake

const handle = (accountId: string, command: BankAccount.Command) =>
  BankAccount.handler.handle(BankAccount.streamId(accountId), command)

const readAllDecoded = EventStore.readAll().pipe(
  EventCodec.decodeStream(BankAccount.codec),
  Stream.runCollect,
  Effect.map(Chunk.toReadonlyArray)
)

/** The seed's demonstration: ACC-001 gets 1000 + 500 - 300 - 200, ACC-002 gets 2000; a minute passes between steps. */
const seedScenario = Effect.gen(function* () {
  const tick = TestClock.adjust("1 minute")
  yield* handle(
    "ACC-001",
    BankAccount.OpenAccount.make({ accountId: "ACC-001", ownerName: "John Doe", openedAt: new Date(0) })
  )
  for (const command of [
    BankAccount.Deposit.make({ amount: 1000 }),
    BankAccount.Deposit.make({ amount: 500 }),
    BankAccount.Withdraw.make({ amount: 300 }),
    BankAccount.Withdraw.make({ amount: 200 })
  ]) {
    yield* tick
    yield* handle("ACC-001", command)
  }
  yield* tick
  yield* handle(
    "ACC-002",
    BankAccount.OpenAccount.make({ accountId: "ACC-002", ownerName: "Jane Smith", openedAt: new Date(0) })
  )
  yield* tick
  yield* handle("ACC-002", BankAccount.Deposit.make({ amount: 2000 }))
})

const minutes = (n: number) => new Date(n * 60_000)

describe("AccountBalances", () => {
  it.effect("projects the seed's scenario: ACC-001 holds 1000, ACC-002 2000, 3000 in all", () =>
    Effect.gen(function* () {
      yield* seedScenario
      const events = yield* readAllDecoded
      const model = AccountBalances.applyAll(AccountBalances.initial, events)

      const acc1 = {
        accountId: "ACC-001",
        owner: "John Doe",
        balance: cents(1000),
        status: "active",
        lastUpdated: minutes(4)
      }
      const acc2 = {
        accountId: "ACC-002",
        owner: "Jane Smith",
        balance: cents(2000),
        status: "active",
        lastUpdated: minutes(6)
      }
      assert.deepStrictEqual(
        Option.map(AccountBalances.balance(model, "ACC-001"), (row) => ({ ...row })),
        Option.some(acc1)
      )
      assert.deepStrictEqual(
        AccountBalances.accounts(model).map((row) => ({ ...row })),
        [acc1, acc2]
      )
      assert.strictEqual(AccountBalances.totalHeld(model), 3000)
      assert.strictEqual(Money.format(cents(AccountBalances.totalHeld(model))), "$30.00")
      assert.strictEqual(Position.format(model.position), "7")
      assert.isTrue(Option.isNone(AccountBalances.balance(model, "ACC-404")))
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("ignores events it has applied already", () =>
    Effect.gen(function* () {
      yield* seedScenario
      const events = yield* readAllDecoded
      const once = AccountBalances.applyAll(AccountBalances.initial, events)
      // Applying everything again (as the seed's demo does) changes nothing: the very same model comes back.
      assert.strictEqual(AccountBalances.applyAll(once, events), once)
      // Overlapping batches give the model one pass gives.
      const overlapping = AccountBalances.applyAll(
        AccountBalances.applyAll(AccountBalances.initial, events.slice(0, 4)),
        events
      )
      assert.isTrue(Equal.equals(overlapping, once))
      assert.isFalse(Equal.equals(AccountBalances.applyAll(AccountBalances.initial, events.slice(0, -1)), once))
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("marks a closed account closed, with its zero balance", () =>
    Effect.gen(function* () {
      yield* seedScenario
      yield* TestClock.adjust("1 minute")
      yield* handle("ACC-002", BankAccount.Withdraw.make({ amount: 2000 }))
      yield* handle("ACC-002", BankAccount.CloseAccount.make({ reason: "moving", closedAt: minutes(7) }))
      const model = AccountBalances.applyAll(AccountBalances.initial, yield* readAllDecoded)
      const acc2 = Option.getOrThrow(AccountBalances.balance(model, "ACC-002"))
      assert.strictEqual(acc2.status, "closed")
      assert.strictEqual(acc2.balance, 0)
      assert.deepStrictEqual(acc2.lastUpdated, minutes(7))
      assert.strictEqual(AccountBalances.totalHeld(model), 1000)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  const ninth = Schema.decodeSync(Position.FromString)("9")

  it("skips events of streams whose opening it never saw, but moves its checkpoint", () => {
    const orphan: RecordedEvent.RecordedEvent<BankAccount.Event> = {
      id: "00000000-0000-4000-8000-000000000001",
      streamId: StreamId.unsafeMake("BankAccount-ghost"),
      version: 2,
      position: ninth,
      type: "MoneyDeposited",
      data: { _tag: "MoneyDeposited", amount: cents(5), balanceAfter: cents(5) },
      metadata: {},
      tags: [],
      recordedAt: new Date(0)
    }
    const model = AccountBalances.apply(AccountBalances.initial, orphan)
    assert.deepStrictEqual(model.position, ninth)
    assert.deepStrictEqual(AccountBalances.accounts(model), [])
    assert.strictEqual(AccountBalances.apply(model, { ...orphan, position: ninth }), model)
  })

  it.effect.prop(
    "folding in two overlapping batches equals folding once",
    [FastCheck.array(FastCheck.integer({ min: 1, max: 5000 }), { maxLength: 12 }), FastCheck.nat(), FastCheck.nat()],
    ([deposits, a, b]) =>
      Effect.gen(function* () {
        yield* handle("A", BankAccount.OpenAccount.make({ accountId: "A", ownerName: "Ann", openedAt: new Date(0) }))
        yield* handle("B", BankAccount.OpenAccount.make({ accountId: "B", ownerName: "Bob", openedAt: new Date(0) }))
        for (const [i, amount] of deposits.entries()) {
          yield* handle(i % 2 === 0 ? "A" : "B", BankAccount.Deposit.make({ amount }))
        }
        const events = yield* readAllDecoded
        const once = AccountBalances.applyAll(AccountBalances.initial, events)
        const [lo, hi] = [a % (events.length + 1), b % (events.length + 1)].sort((x, y) => x - y) as [number, number]
        const first = AccountBalances.applyAll(AccountBalances.initial, events.slice(0, hi))
        assert.isTrue(Equal.equals(AccountBalances.applyAll(first, events.slice(lo)), once))
        assert.strictEqual(
          AccountBalances.totalHeld(once),
          deposits.reduce((sum, x) => sum + x, 0)
        )
      }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
