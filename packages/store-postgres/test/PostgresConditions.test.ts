// Conditional appends under concurrency on PostgreSQL, interleaved deterministically: a writer paused between its
// check and its commit (inside the application's transaction) holds its advisory locks, so a second writer whose
// condition matches the first's events — and whose events the first's condition matches — waits, then sees the first's
// event and fails. Beside it, the same interleaving with a check on sequence numbers alone lets both commit, the later
// sequence first.
import { EventStore, Position, Query } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { PgClient } from "@effect/sql-pg"
import { Context, Deferred, Effect, Fiber, Layer, Option, Redacted } from "effect"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("conditions")
const application = Layer.suspend(() => PgClient.layer({ url: Redacted.make(url) }))

const open = (label: string) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      Layer.provideMerge(
        PostgresEventStore.layerFromClient({ tables: { events: `${label}_events` }, migrationsTable: `${label}_m` }),
        application
      )
    )
    return { store: Context.get(context, EventStore.EventStore), sql: Context.get(context, SqlClient.SqlClient) }
  })

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
})
