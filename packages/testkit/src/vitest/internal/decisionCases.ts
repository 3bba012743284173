import { DecisionModel, EventCodec, EventStore, Query } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either, FastCheck, Random, Runtime, Schema, TestServices } from "effect"
import { uniqueTag } from "./queryCases.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

const Deposited = Schema.TaggedStruct("Deposited", { account: Schema.String, amount: Schema.Number })
const Moved = Schema.TaggedStruct("Moved", { from: Schema.String, to: Schema.String, amount: Schema.Number })
const Money = Schema.Union(Deposited, Moved)
type Money = typeof Money.Type
const codec = EventCodec.make(Money)
const tagsOf = (event: Money) =>
  event._tag === "Deposited" ? [`acct:${event.account}`] : [`acct:${event.from}`, `acct:${event.to}`]

/** A balance as a projection over the events tagged with the account. */
const balance = (account: string): DecisionModel.Projection<number, Money> => ({
  query: Query.item({ tags: [`acct:${account}`] }),
  initial: 0,
  evolve: (state, event) => {
    switch (event._tag) {
      case "Deposited":
        return state + event.amount
      case "Moved":
        return state + (event.to === account ? event.amount : 0) - (event.from === account ? event.amount : 0)
    }
  }
})

class Insufficient extends Schema.TaggedError<Insufficient>()("Insufficient", { balance: Schema.Number }) {}

/** One transfer: a model of both balances, one decision, both streams appended at once under its condition. */
const transfer = (from: string, to: string, amount: number) =>
  DecisionModel.handle(
    DecisionModel.make({ from: balance(from), to: balance(to) }),
    (state) =>
      state.from < amount
        ? Either.left(new Insufficient({ balance: state.from }))
        : Either.right([{ streamId: `transfer-${from}`, events: [{ _tag: "Moved", from, to, amount } as const] }]),
    { codec, tagsOf }
  )

/** Decision models: one read of several projections, one conditional append, retried when another writer won. */
export const decisionCases = (it: It) => {
  it.effect("a decision model folds only each projection's events and answers its typed error", () =>
    Effect.gen(function* () {
      const [a, b] = [uniqueTag("a"), uniqueTag("b")]
      yield* DecisionModel.handle(
        DecisionModel.make({ a: balance(a) }),
        () =>
          Either.right([
            { streamId: `deposit-${a}`, events: [{ _tag: "Deposited", account: a, amount: 10 } as const] }
          ]),
        { codec, tagsOf }
      )
      yield* transfer(a, b, 4)
      const loaded = yield* DecisionModel.load(DecisionModel.make({ a: balance(a), b: balance(b) }), codec)
      assert.deepStrictEqual(loaded.state, { a: 6, b: 4 })
      const error = yield* Effect.flip(transfer(a, b, 7))
      assert.strictEqual(error._tag, "Insufficient")
    })
  )

  it.effect("random concurrent transfers: no balance goes negative and money is conserved", () =>
    Effect.gen(function* () {
      const moves = yield* Effect.all(
        Array.from({ length: 24 }, () =>
          Effect.all([
            Random.nextIntBetween(0, 4),
            Random.nextIntBetween(1, 4),
            Random.nextIntBetween(1, 40),
            Random.nextIntBetween(0, 4)
          ])
        )
      )
      const outcomes = yield* concurrentTransfers(4, moves)
      assert.isAbove(outcomes.filter(Either.isRight).length, 0)
    })
  )

  it.effect(
    "property: for random interleavings of concurrent transfers, balances stay non-negative and money is conserved",
    () =>
      Effect.gen(function* () {
        const runtime = yield* Effect.runtime<EventStore.EventStore>()
        // Accounts, then transfers (from, offset to the target, amount, how often it yields between its read and its
        // append), all started at once.
        const scenario = FastCheck.integer({ min: 2, max: 5 }).chain((accounts) =>
          FastCheck.tuple(
            FastCheck.constant(accounts),
            FastCheck.array(
              FastCheck.tuple(
                FastCheck.nat(accounts - 1),
                FastCheck.integer({ min: 1, max: accounts - 1 }),
                FastCheck.integer({ min: 1, max: 60 }),
                FastCheck.nat(4)
              ),
              { minLength: 1, maxLength: 16 }
            )
          )
        )
        yield* Effect.promise(() =>
          FastCheck.assert(
            FastCheck.asyncProperty(scenario, ([accounts, moves]) =>
              Runtime.runPromise(runtime)(Effect.asVoid(concurrentTransfers(accounts, moves)))
            ),
            { numRuns: 12 }
          )
        )
      })
  )
}

/**
 * Funds `count` fresh accounts with 50 each, runs the transfers at once (on the live clock, so retries back off for
 * real; each yielding as often as it says between its read and its append), and checks the invariants: every failure is `Insufficient`, no balance is negative, the total is unchanged.
 */
const concurrentTransfers = (count: number, moves: ReadonlyArray<readonly [number, number, number, number]>) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    // A store whose conditional appends first yield to the other fibers: the transfers interleave between their
    // reads and their appends (on every store, the in-memory one too).
    const yielding = (times: number): EventStore.EventStore["Type"] => ({
      ...store,
      appendMany: (appends, options) =>
        Effect.zipRight(Effect.repeatN(Effect.yieldNow(), times), store.appendMany(appends, options))
    })
    const accounts = Array.from({ length: count }, () => uniqueTag("acct"))
    for (const account of accounts) {
      const deposited = { _tag: "Deposited", account, amount: 50 } as const
      yield* EventStore.append(`deposit-${account}`, [
        { ...Either.getOrThrow(codec.encode(deposited)), tags: tagsOf(deposited) }
      ])
    }
    const outcomes = yield* Effect.all(
      moves.map(([from, offset, amount, yields]) =>
        Effect.either(transfer(accounts[from]!, accounts[(from + offset) % count]!, amount)).pipe(
          Effect.provideService(EventStore.EventStore, yielding(yields))
        )
      ),
      { concurrency: "unbounded" }
    ).pipe(TestServices.provideLive)
    const loaded = yield* DecisionModel.load(
      DecisionModel.make(Object.fromEntries(accounts.map((a) => [a, balance(a)]))),
      codec
    )
    const balances = Object.values(loaded.state) as ReadonlyArray<number>
    for (const outcome of outcomes.filter(Either.isLeft)) assert.strictEqual(outcome.left._tag, "Insufficient")
    for (const value of balances) assert.isAtLeast(value, 0)
    assert.strictEqual(
      balances.reduce((sum, value) => sum + value, 0),
      50 * count
    )
    return outcomes
  })
