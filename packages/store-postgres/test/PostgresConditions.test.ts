// Conditional appends under concurrency on PostgreSQL, interleaved deterministically: a writer paused between its
// check and its commit (inside the application's transaction) holds its advisory locks, so a second writer whose
// condition matches the first's events — and whose events the first's condition matches — waits, then sees the first's
// event and fails. Beside it, the same interleaving with a check on sequence numbers alone lets both commit, the later
// sequence first. Plain appends of untagged events take their shared locks too (in their one statement), so a
// condition that selects by type alone holds against them; a conditional append after a write of the application's
// transaction is refused.
import { Position, Query } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option } from "effect"
import { applicationClient, openOver } from "./fixtures/applicationClient.js"

const url = await testDatabase("conditions")
const application = applicationClient(url)
const open = (label: string) => openOver(application, label)

const claim = (tag: string) => [{ type: "Claimed", data: {}, tags: [tag] }]

describe("PostgreSQL conditional appends, interleaved", () => {
  it.live("two writers whose conditions match each other's events: the one that waits fails", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { sql, store } = yield* open("locked")
        const marker = yield* store.headPosition
        const checked = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const first = yield* sql
          .withTransaction(
            Effect.gen(function* () {
              const result = yield* store.append("first", claim("a"), {
                condition: { failIfEventsMatch: Query.item({ tags: ["b"] }), after: marker }
              })
              yield* Deferred.succeed(checked, undefined)
              yield* Deferred.await(release)
              return result
            })
          )
          .pipe(Effect.fork)
        yield* Deferred.await(checked)
        const second = yield* store
          .append("second", claim("b"), {
            condition: { failIfEventsMatch: Query.item({ tags: ["a"] }), after: marker }
          })
          .pipe(Effect.either, Effect.fork)
        yield* Effect.sleep("300 millis")
        assert.isTrue(Option.isNone(yield* Fiber.poll(second)), "the second writer waits for the first's locks")
        yield* Deferred.succeed(release, undefined)
        const written = yield* Fiber.join(first)
        const outcome = yield* Fiber.join(second)
        assert.isTrue(outcome._tag === "Left" && outcome.left._tag === "AppendConditionFailed")
        if (outcome._tag === "Left" && outcome.left._tag === "AppendConditionFailed") {
          assert.strictEqual(Position.Order(outcome.left.position, written.positions[0]!), 0)
          assert.strictEqual(outcome.left.streamId, "first")
        }
        assert.strictEqual(yield* store.streamVersion("second"), 0)
      })
    )
  )

  it.live("a check on sequence numbers alone lets both commit, the later sequence first", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { sql, store } = yield* open("naive")
        const { marker } = yield* store.read(Query.item({ tags: ["seat"] }))
        yield* store.append("noise", claim("other"))
        const [row] = yield* sql<{ readonly seq: string }>`SELECT COALESCE(MAX(seq), 0)::text AS seq FROM naive_events`
        const seenSeq = Number(row!.seq)
        // The naive writer: counts matching events above a sequence number, then appends, in one transaction.
        const naive = (streamId: string, pause: Effect.Effect<void>) =>
          sql.withTransaction(
            Effect.gen(function* () {
              const [found] = yield* sql<{ readonly n: string }>`SELECT COUNT(*)::text AS n FROM naive_events_tags
                WHERE tag = 'seat' AND seq > ${seenSeq}`
              if (Number(found!.n) > 0) return false
              yield* store.append(streamId, claim("seat"))
              yield* pause
              return true
            })
          )
        const inserted = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const first = yield* naive(
          "naive-first",
          Effect.zipRight(Deferred.succeed(inserted, undefined), Deferred.await(release))
        ).pipe(Effect.fork)
        yield* Deferred.await(inserted)
        assert.isTrue(yield* naive("naive-second", Effect.void), "the later sequence commits first")
        yield* Deferred.succeed(release, undefined)
        assert.isTrue(yield* Fiber.join(first))
        const both = yield* sql<{ readonly stream_id: string; readonly seq: string }>`SELECT stream_id, seq::text
          FROM naive_events WHERE stream_id LIKE 'naive-%' ORDER BY seq`
        assert.deepStrictEqual(
          both.map((r) => r.stream_id),
          ["naive-first", "naive-second"]
        )
        // The store's condition, from the same marker, fails on the first of them.
        const refused = yield* Effect.flip(
          store.append("naive-third", claim("seat"), {
            condition: { failIfEventsMatch: Query.item({ tags: ["seat"] }), after: marker }
          })
        )
        assert.strictEqual(refused._tag, "AppendConditionFailed")
      })
    )
  )

  /** Pauses `body` inside the application's transaction until `release`, signalling `started` once it has run. */
  const paused = <A, E>(
    body: Effect.Effect<A, E>,
    started: Deferred.Deferred<void>,
    release: Deferred.Deferred<void>
  ) =>
    Effect.flatMap(open("paused"), ({ sql }) =>
      sql.withTransaction(
        Effect.tap(body, () => Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release)))
      )
    )

  const waiting = <A, E>(fiber: Fiber.Fiber<A, E>, what: string) =>
    Effect.zipRight(
      Effect.sleep("300 millis"),
      Effect.map(Fiber.poll(fiber), (polled) => assert.isTrue(Option.isNone(polled), what))
    )

  it.live("a type-only condition fails against a plain untagged append queued before it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { store } = yield* open("typed")
        const booked = [{ type: "Booked", data: {} }]
        const byType = { failIfEventsMatch: Query.item({ types: ["Booked"] }), after: yield* store.headPosition }
        // A conditional writer on the same type holds its lock while the others queue behind it.
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const holder = yield* paused(
          store.append("typed-holder", [{ type: "Noted", data: {} }], { condition: byType }),
          started,
          release
        ).pipe(Effect.fork)
        yield* Deferred.await(started)
        const plain = yield* store.append("typed-plain", booked).pipe(Effect.fork)
        yield* waiting(plain, "the plain append waits for the conditional writer's lock on its type")
        const conditional = yield* store
          .append("typed-conditional", booked, { condition: byType })
          .pipe(Effect.either, Effect.fork)
        yield* waiting(conditional, "the second conditional writer waits too")
        yield* Deferred.succeed(release, undefined)
        const held = yield* Fiber.join(holder)
        const written = yield* Fiber.join(plain)
        assert.isTrue(Position.isAfter(written.positions[0]!, held.positions[0]!), "the plain append sorts after")
        const outcome = yield* Fiber.join(conditional)
        assert.isTrue(outcome._tag === "Left" && outcome.left._tag === "AppendConditionFailed")
        if (outcome._tag === "Left" && outcome.left._tag === "AppendConditionFailed") {
          assert.strictEqual(outcome.left.streamId, "typed-plain")
        }
        assert.strictEqual(yield* store.streamVersion("typed-conditional"), 0)
      })
    )
  )

  it.live("a type-only conditional append waits for a plain untagged append's transaction, then fails", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { store } = yield* open("joined")
        const marker = yield* store.headPosition
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const plain = yield* paused(
          store.append("joined-plain", [{ type: "Booked", data: {} }]),
          started,
          release
        ).pipe(Effect.fork)
        yield* Deferred.await(started)
        const conditional = yield* store
          .append("joined-conditional", [{ type: "Booked", data: {} }], {
            condition: { failIfEventsMatch: Query.item({ types: ["Booked"] }), after: marker }
          })
          .pipe(Effect.either, Effect.fork)
        yield* waiting(conditional, "the conditional append waits for the plain append's shared lock")
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(plain)
        const outcome = yield* Fiber.join(conditional)
        assert.isTrue(outcome._tag === "Left" && outcome.left._tag === "AppendConditionFailed")
      })
    )
  )

  it.scoped("a conditional append after a write of the application's transaction is refused", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* open("second")
      const condition = { failIfEventsMatch: Query.item({ tags: ["x"] }), after: yield* store.headPosition }
      const refused = yield* Effect.flip(
        sql.withTransaction(
          Effect.zipRight(store.append("second-a", claim("y")), store.append("second-b", claim("x"), { condition }))
        )
      )
      assert.strictEqual(refused._tag, "InvalidArgument")
      if (refused._tag === "InvalidArgument") {
        assert.strictEqual(refused.argument, "condition")
        assert.strictEqual(refused.value, JSON.stringify(condition.failIfEventsMatch.items))
        assert.include(refused.reason, "must be the transaction's first write")
      }
      assert.strictEqual(yield* store.streamVersion("second-a"), 0)
      // As the transaction's first write, it commits.
      yield* sql.withTransaction(store.append("second-b", claim("x"), { condition }))
      assert.strictEqual(yield* store.streamVersion("second-b"), 1)
    })
  )
})
