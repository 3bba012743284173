import { EventStore, ExpectedVersion, Position } from "@chronicle/core"
import { assert, type Vitest } from "@effect/vitest"
import { Effect, Either } from "effect"
import { readStreamAll, uniqueStream } from "./fixtures.js"

type It = Vitest.MethodsNonLive<EventStore.EventStore>

/** Concurrent writers: exactly one wins each version, nothing is lost, concurrent appends keep every guarantee. */
export const concurrencyCases = (it: It) => {
  it.effect("50 fibers racing at the same expected version: exactly one wins", () =>
    Effect.gen(function* () {
      const id = uniqueStream("race")
      yield* EventStore.append(id, [{ type: "Noted", data: { text: "start" } }])
      const results = yield* Effect.all(
        Array.from({ length: 50 }, (_, i) =>
          Effect.either(
            EventStore.append(id, [{ type: "Noted", data: { text: `fiber-${i}` } }], {
              expectedVersion: ExpectedVersion.exact(1)
            })
          )
        ),
        { concurrency: "unbounded" }
      )
      const winners = results.filter(Either.isRight)
      assert.strictEqual(winners.length, 1)
      assert.strictEqual(winners[0]!.right.version, 2)
      for (const loser of results.filter(Either.isLeft)) {
        assert.strictEqual(loser.left._tag, "WrongExpectedVersion")
        if (loser.left._tag === "WrongExpectedVersion") assert.strictEqual(loser.left.actual, 2)
      }
      assert.strictEqual((yield* readStreamAll(id)).length, 2)
    })
  )

  it.effect("50 fibers retrying on conflict: each version has exactly one event and none is lost", () =>
    Effect.gen(function* () {
      const id = uniqueStream("race-retry")
      const appendOne = (i: number) =>
        Effect.gen(function* () {
          const version = yield* EventStore.streamVersion(id)
          return yield* EventStore.append(id, [{ type: "Noted", data: { text: `fiber-${i}` } }], {
            expectedVersion: ExpectedVersion.exact(version)
          })
        }).pipe(Effect.retry({ while: (e) => e._tag === "WrongExpectedVersion", times: 200 }))
      const results = yield* Effect.all(
        Array.from({ length: 50 }, (_, i) => appendOne(i)),
        { concurrency: "unbounded" }
      )
      assert.deepStrictEqual(
        results.map((r) => r.version).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i + 1)
      )
      const events = yield* readStreamAll(id)
      assert.deepStrictEqual(
        events.map((e) => e.version),
        Array.from({ length: 50 }, (_, i) => i + 1)
      )
      assert.deepStrictEqual(
        events.map((e) => (e.data as { text: string }).text).sort(),
        Array.from({ length: 50 }, (_, i) => `fiber-${i}`).sort()
      )
    })
  )

  it.effect("20 fibers appending the same batch with its ids at once: all get the first result, stored once", () =>
    Effect.gen(function* () {
      const id = uniqueStream("repeat-race")
      const batch = [
        { id: crypto.randomUUID(), type: "Noted", data: { text: "one" } },
        { id: crypto.randomUUID(), type: "Noted", data: { text: "two" } }
      ]
      const results = yield* Effect.all(
        Array.from({ length: 20 }, () => EventStore.append(id, batch, { expectedVersion: ExpectedVersion.noStream })),
        { concurrency: "unbounded" }
      )
      for (const result of results) assert.deepStrictEqual(result, results[0])
      assert.strictEqual(results[0]!.version, 2)
      const events = yield* readStreamAll(id)
      assert.deepStrictEqual(
        events.map((e) => e.position),
        results[0]!.positions
      )
    })
  )

  it.effect("concurrent appends to many streams keep versions gapless and positions unique", () =>
    Effect.gen(function* () {
      const streams = Array.from({ length: 100 }, (_, i) => uniqueStream(`concurrent-${i}`))
      const shared = uniqueStream("concurrent-shared")
      const results = yield* Effect.all(
        [
          ...streams.flatMap((id) =>
            Array.from({ length: 3 }, (_, n) =>
              EventStore.append(id, [{ type: "Noted", data: { text: `${n}` } }]).pipe(Effect.either)
            )
          ),
          ...Array.from({ length: 20 }, (_, n) =>
            EventStore.append(shared, [{ type: "Noted", data: { text: `${n}` } }], {
              expectedVersion: ExpectedVersion.exact(n % 2 === 0 ? 0 : 999)
            }).pipe(Effect.either)
          )
        ],
        { concurrency: "unbounded" }
      )
      const ok = results.filter(Either.isRight).map((r) => r.right)
      assert.strictEqual(ok.length, 301)
      const positions = ok.flatMap((r) => r.positions)
      assert.strictEqual(new Set(positions.map(Position.format)).size, positions.length)
      for (const id of streams) {
        assert.deepStrictEqual(
          (yield* readStreamAll(id)).map((e) => e.version),
          [1, 2, 3]
        )
      }
      assert.strictEqual((yield* readStreamAll(shared)).length, 1)
    })
  )
}
