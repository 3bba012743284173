import { AccountBalances, BankAccount } from "@chronicle/bank-account"
import { EventStore, ProjectionRunner } from "@chronicle/core"
import { InMemoryCheckpointStore, InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock } from "effect"

const stores = Layer.merge(InMemoryEventStore.layer, InMemoryCheckpointStore.layer)
const id = BankAccount.streamId("ACC-T")

/** Opens ACC-T at t=1000, deposits 1000 at t=2000, withdraws 300 at t=3000; returns the positions. */
const history = Effect.gen(function* () {
  yield* TestClock.setTime(1_000)
  const opened = yield* BankAccount.handler.handle(
    id,
    BankAccount.OpenAccount.make({ accountId: "ACC-T", ownerName: "Tess", openedAt: new Date(1_000) })
  )
  yield* TestClock.setTime(2_000)
  const deposited = yield* BankAccount.handler.handle(id, BankAccount.Deposit.make({ amount: 1_000 }))
  yield* TestClock.setTime(3_000)
  const withdrawn = yield* BankAccount.handler.handle(id, BankAccount.Withdraw.make({ amount: 300 }))
  return [opened.positions[0]!, deposited.positions[0]!, withdrawn.positions[0]!] as const
})

const balanceOf = (state: BankAccount.State) => (state._tag === "NotOpened" ? undefined : state.balance)

describe("BankAccount time travel", () => {
  it.effect("rebuilds the account at a version and at points in time", () =>
    Effect.gen(function* () {
      yield* history
      const at = (point: Parameters<typeof BankAccount.handler.loadAt>[1]) => BankAccount.handler.loadAt(id, point)
      const beforeOpening = yield* at({ time: new Date(500) })
      assert.strictEqual(beforeOpening.state._tag, "NotOpened")
      assert.strictEqual(beforeOpening.version, 0)
      const justOpened = yield* at({ time: new Date(1_500) })
      assert.strictEqual(justOpened.state._tag, "Active")
      assert.strictEqual(balanceOf(justOpened.state), 0)
      const betweenDepositAndWithdrawal = yield* at({ time: new Date(2_500) })
      assert.strictEqual(balanceOf(betweenDepositAndWithdrawal.state), 1_000)
      assert.strictEqual(betweenDepositAndWithdrawal.version, 2)
      assert.strictEqual(balanceOf((yield* at({ time: new Date(3_000) })).state), 700)
      assert.strictEqual(balanceOf((yield* at({ version: 2 })).state), 1_000)
      assert.deepStrictEqual(yield* at({ version: 3 }), yield* BankAccount.handler.load(id))
    }).pipe(Effect.provide(stores))
  )

  it.effect("rebuilds the balance read model as of a global position", () =>
    Effect.gen(function* () {
      const before = yield* EventStore.headPosition
      const [opened, deposited] = yield* history
      yield* EventStore.append("Other-1", [{ type: "SomethingElse", data: { x: 1 } }])
      const row = (model: AccountBalances.AccountBalances) =>
        Option.map(AccountBalances.balance(model, "ACC-T"), (r) => r.balance)
      assert.deepStrictEqual(row(yield* AccountBalances.asOf(before)), Option.none())
      assert.deepStrictEqual(row(yield* AccountBalances.asOf(opened)), Option.some(0))
      assert.deepStrictEqual(row(yield* AccountBalances.asOf(deposited)), Option.some(1_000))
      const now = yield* AccountBalances.asOf(yield* EventStore.headPosition)
      assert.deepStrictEqual(row(now), Option.some(700))
      const { model, projection } = yield* AccountBalances.projection()
      yield* ProjectionRunner.catchUp(projection)
      assert.deepStrictEqual(row(yield* model), Option.some(700))
      assert.strictEqual(AccountBalances.totalHeld(yield* model), AccountBalances.totalHeld(now))
    }).pipe(Effect.provide(stores))
  )

  it.effect("rejects positions out of range with InvalidArgument, as loadAt does versions", () =>
    Effect.gen(function* () {
      yield* history
      for (const position of [-1, Number.NaN, 1.5, Number.NEGATIVE_INFINITY]) {
        const error = yield* Effect.flip(AccountBalances.asOf(position as never))
        assert.strictEqual(error._tag, "InvalidArgument", String(position))
        const versionError = yield* Effect.flip(BankAccount.handler.loadAt(id, { version: position }))
        assert.strictEqual(versionError._tag, "InvalidArgument", String(position))
      }
    }).pipe(Effect.provide(stores))
  )
})
