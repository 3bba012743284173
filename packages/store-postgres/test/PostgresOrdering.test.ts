// The ordering torture test. Ten writers on connections of their own append in transactions that pause at random
// between the insert and the commit, a sixth of them rolling back; two transactions stay open for seconds while the
// others commit around them. Four subscribers follow from different checkpoints (the start, the head a few seconds
// in, a position in the middle of the order, the start again with small pages). Once all is quiet, every committed
// event has reached every subscriber exactly once, in the order readAll gives, and no rolled-back event has reached
// any, including two transactions scripted to cross: T1 has the lower transaction id and the higher sequence number,
// and commits first. Beside them run the classic bugs, as test-only readers: one orders by the sequence alone (what
// many event stores did), one filters by the horizon but still orders by the sequence; both miss events that took a
// number and committed after a higher number was read (T2's among them, every time).
import { EventStore, Position, type RecordedEvent } from "@chronicle/core"
import { PositionEncoding, StorageEngine } from "@chronicle/core/engine"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { type SqlDialect, SqlEngine } from "@chronicle/sql"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Context, Effect, Fiber, Layer, Random, Stream } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("ordering")

const writers = 10
const writeMillis = 20_000
const streamsPerWriter = 3
const rollbackShare = 1 / 6
const maxPauseMillis = 25
const heldMillis = 4_000

/**
 * The PostgreSQL dialect with its global reads replaced by one of the classic bugs, positions being the sequence
 * number: order by the sequence alone, or filter by the horizon (the oldest transaction in flight) while still ordering
 * by the sequence. For this test only.
 */
const bySequence = (belowHorizon: boolean): SqlDialect.SqlDialect => ({
  ...dialect,
  position: { width: 1, decode: (row, at) => PositionEncoding.fromCounter(Number(row[at])) },
  events: (tables) => {
    const schema = dialect.events(tables)
    const table = `"${tables.events}"`
    const visible = belowHorizon ? "AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())" : ""
    return {
      ...schema,
      statements: {
        ...schema.statements,
        readAll: (after, limit) => [
          `SELECT version, event_id, type, data::text, metadata::text, recorded_at, tags::text, seq, stream_id FROM ${table} ` +
            `WHERE seq > $1 ${visible} ORDER BY seq LIMIT $2`,
          [PositionEncoding.toCounter(after), limit]
        ],
        headPosition: [`SELECT COALESCE(MAX(seq), 0) FROM ${table} WHERE true ${visible}`, []]
      }
    }
  }
})

interface Written {
  readonly id: string
  readonly committed: boolean
}

/** Collects what a subscription delivers, until interrupted. */
const follow = (subscription: Stream.Stream<RecordedEvent.RecordedEvent, unknown>) =>
  Effect.gen(function* () {
    const received: Array<RecordedEvent.RecordedEvent> = []
    const fiber = yield* Effect.fork(
      Stream.runForEach(subscription, (event) => Effect.sync(() => void received.push(event)))
    )
    return { received, fiber }
  })

describe("PostgreSQL global order under concurrent writers", () => {
  it.scopedLive(
    "every committed event reaches every subscriber once, in readAll's order; a sequence-ordered reader loses events",
    () =>
      Effect.gen(function* () {
        const context = yield* Layer.build(PostgresEventStore.layerWithClient({ url, maxConnections: 24 }))
        const store = Context.get(context, EventStore.EventStore)
        const sql = Context.get(context, SqlClient.SqlClient)
        const classic = (belowHorizon: boolean) =>
          StorageEngine.toEventStore(
            SqlEngine.fromClient(sql, {
              dialect: bySequence(belowHorizon),
              tables: SqlEngine.defaultTables,
              pollInterval: "10 millis"
            })
          )

        const written: Array<Written> = []
        const subscribers: Array<{
          readonly label: string
          readonly after: Position.Position
          readonly received: Array<RecordedEvent.RecordedEvent>
          readonly fiber: Fiber.RuntimeFiber<void, unknown>
        }> = []
        const subscribe = (label: string, after: Position.Position, pageSize?: number) =>
          Effect.map(follow(store.subscribe(pageSize === undefined ? { after } : { after, pageSize })), (followed) =>
            subscribers.push({ label, after, ...followed })
          )
        yield* subscribe("from the start", Position.start)
        yield* subscribe("from the start, pages of 7", Position.start, 7)
        const bugs = {
          "ordered by the sequence": yield* follow(classic(false).subscribe()),
          "ordered by the sequence, below the horizon": yield* follow(classic(true).subscribe())
        }

        const deadline = Date.now() + writeMillis
        let transactions = 0
        /** One transaction: append a batch, pause, then commit or roll back. */
        const transaction = (writer: number, held = 0) =>
          Effect.gen(function* () {
            const count = yield* Random.nextIntBetween(1, 4)
            const commit = held > 0 || (yield* Random.next) >= rollbackShare
            const stream = `w${writer}-${yield* Random.nextIntBetween(0, streamsPerWriter)}`
            const events = Array.from({ length: count }, () => ({
              id: crypto.randomUUID(),
              type: "Written",
              data: { writer, commit }
            }))
            const pause = held > 0 ? held : yield* Random.nextIntBetween(0, maxPauseMillis + 1)
            transactions++
            const outcome = yield* Effect.either(
              sql.withTransaction(
                Effect.gen(function* () {
                  yield* store.append(stream, events)
                  yield* Effect.sleep(`${pause} millis`)
                  if (!commit) return yield* Effect.fail("rolled back" as const)
                })
              )
            )
            if (outcome._tag === "Left" && outcome.left !== "rolled back") {
              return yield* Effect.dieMessage(`writer ${writer}: ${String(outcome.left)}`)
            }
            for (const event of events) written.push({ id: event.id, committed: commit })
          })
        const writer = (n: number) =>
          Effect.gen(function* () {
            while (Date.now() < deadline) yield* transaction(n)
          })
        // Two transactions held open for seconds while the others commit around them.
        const held = Effect.gen(function* () {
          yield* Effect.sleep("3 seconds")
          yield* transaction(writers, heldMillis)
          yield* Effect.sleep("5 seconds")
          yield* transaction(writers + 1, heldMillis)
        })
        // Subscribers that join later, from the head and from a position in the middle of what is there.
        const latecomers = Effect.gen(function* () {
          yield* Effect.sleep("5 seconds")
          yield* subscribe("from the head at 5 s", yield* store.headPosition)
          yield* Effect.sleep("5 seconds")
          const sofar = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
          yield* subscribe("from the middle at 10 s", sofar[Math.floor(sofar.length / 2)]!.position)
        })
        yield* Effect.all([...Array.from({ length: writers }, (_, n) => writer(n)), held, latecomers], {
          concurrency: "unbounded",
          discard: true
        })

        // Then, scripted, the interleaving both classic readers get wrong: T1 takes its transaction id, T2 takes a
        // transaction id and a sequence number, T1 takes a higher number and commits, readers read, then T2 commits.
        const t1HasId = yield* Effect.makeLatch(false)
        const t2Inserted = yield* Effect.makeLatch(false)
        const t2Commits = yield* Effect.makeLatch(false)
        const crossing = { first: crypto.randomUUID(), second: crypto.randomUUID() }
        const t2 = yield* Effect.fork(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* t1HasId.await
              yield* store.append("crossing-2", [{ id: crossing.second, type: "Written", data: { t: 2 } }])
              yield* t2Inserted.open
              yield* t2Commits.await
            })
          )
        )
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`SELECT pg_current_xact_id()`
            yield* t1HasId.open
            yield* t2Inserted.await
            yield* store.append("crossing-1", [{ id: crossing.first, type: "Written", data: { t: 1 } }])
          })
        )
        const passed = () => Object.values(bugs).every((bug) => bug.received.some((e) => e.id === crossing.first))
        for (let waited = 0; !passed() && waited < 400; waited++) yield* Effect.sleep("50 millis")
        if (!passed()) {
          const t1 =
            yield* sql`SELECT stream_id, transaction_id::text, seq::text, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin FROM chronicle_events WHERE stream_id LIKE 'crossing%'`
          console.log(
            JSON.stringify(t1),
            Object.entries(bugs).map(
              ([l, b]) =>
                `${l} ${b.received.length} ${String(b.fiber.unsafePoll()?._tag)} ${JSON.stringify(b.fiber.unsafePoll())}`
            )
          )
        }
        assert.isTrue(passed(), "the classic readers never read T1's event")
        yield* t2Commits.open
        yield* Fiber.join(t2)
        transactions += 2
        written.push({ id: crossing.first, committed: true }, { id: crossing.second, committed: true })

        // All is quiet: the order is what readAll gives now. Wait for every subscriber to reach its end.
        const order = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
        const last = order[order.length - 1]!.position
        const caughtUp = () => subscribers.every((s) => isAt(s.received, last))
        for (let waited = 0; !caughtUp() && waited < 600; waited++) yield* Effect.sleep("50 millis")
        yield* Effect.sleep("500 millis")
        for (const s of subscribers) yield* Fiber.interrupt(s.fiber)
        for (const bug of Object.values(bugs)) yield* Fiber.interrupt(bug.fiber)

        const committed = written.filter((w) => w.committed)
        const rolledBack = written.filter((w) => !w.committed)
        assert.isAbove(rolledBack.length, 0)
        // readAll holds exactly the committed events, in increasing positions.
        assert.strictEqual(order.length, committed.length)
        assert.deepStrictEqual(new Set(order.map((e) => e.id)), new Set(committed.map((w) => w.id)))
        for (let i = 1; i < order.length; i++)
          assert.isTrue(Position.isAfter(order[i]!.position, order[i - 1]!.position))
        // Each subscriber got the order after its checkpoint: every event once, nothing rolled back, nothing else.
        for (const s of subscribers) {
          const expected = order.filter((e) => Position.isAfter(e.position, s.after)).map((e) => e.id)
          const got = s.received.map((e) => e.id)
          assert.strictEqual(
            got.length,
            expected.length,
            `${s.label}: ${got.length} events, expected ${expected.length}`
          )
          assert.deepStrictEqual(got, expected, s.label)
        }
        // The classic readers, meanwhile, lost events that committed after they had read past their numbers.
        const lost = Object.entries(bugs).map(([label, bug]) => {
          const seen = new Set(bug.received.map((e) => e.id))
          const missing = order.filter((e) => !seen.has(e.id)).length
          assert.isFalse(seen.has(crossing.second), `the reader ${label} got T2's event`)
          return `${label}: received ${bug.received.length}, lost ${missing}`
        })

        console.log(
          `ordering torture: ${transactions} transactions by ${writers} writers and 2 held ${heldMillis / 1000} s, ` +
            `${committed.length} events committed, ${rolledBack.length} rolled back; ` +
            subscribers.map((s) => `${s.label}: ${s.received.length} received`).join(", ") +
            `; every subscriber exact. Classic readers: ${lost.join("; ")}.`
        )
      }),
    180_000
  )
})

const isAt = (received: ReadonlyArray<RecordedEvent.RecordedEvent>, last: Position.Position) => {
  const end = received.at(-1)
  return end !== undefined && !Position.isBefore(end.position, last)
}
