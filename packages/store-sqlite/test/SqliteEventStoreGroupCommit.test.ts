import * as path from "node:path"
import { EventStore, ExpectedVersion, Position } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import Sqlite from "better-sqlite3"
import { Context, Effect, Either, Fiber, Layer } from "effect"
import { SqliteEventStore } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

const event = (n: number, type = "Noted") => ({ type, data: { n } })

/** A store on a new file, its SQL client, and a second connection that sees only what was committed. */
const open = (label: string, config: Partial<SqliteEventStore.Config> = {}) =>
  Effect.gen(function* () {
    const dir = yield* tempDir(label)
    const filename = path.join(dir, "db.sqlite")
    const context = yield* Layer.build(SqliteEventStore.layerWithClient({ filename, ...config }))
    const observer = yield* Effect.acquireRelease(
      Effect.sync(() => new Sqlite(filename)),
      (db) => Effect.sync(() => db.close())
    )
    const committed = observer.prepare<[string], number>("SELECT COUNT(*) FROM chronicle_events WHERE stream_id = ?")
    return {
      filename,
      store: Context.get(context, EventStore.EventStore),
      sql: Context.get(context, SqlClient.SqlClient),
      committedEvents: (streamId: string) => committed.pluck().get(streamId) ?? 0
    }
  })

describe("SqliteEventStore group commit", () => {
  it.scoped(
    "appends queued together: each fails alone, sees the ones before it, and is answered after the commit",
    () =>
      Effect.gen(function* () {
        const { committedEvents, sql, store } = yield* open("group")
        // A statement error in the middle of a batch: the rows before it must be rolled back with it.
        yield* sql`CREATE TRIGGER reject BEFORE INSERT ON chronicle_events WHEN NEW.type = 'Rejected'
        BEGIN SELECT RAISE(ABORT, 'rejected by trigger'); END`
        const id = crypto.randomUUID()
        const fresh = Array.from({ length: 20 }, (_, i) =>
          store.append(`fresh-${i}`, [event(i)], { expectedVersion: ExpectedVersion.noStream }).pipe(
            // Answered only once committed: another connection sees the event by then.
            Effect.tap(() => Effect.sync(() => assert.strictEqual(committedEvents(`fresh-${i}`), 1)))
          )
        )
        const results = yield* Effect.all(
          [
            Effect.all(fresh, { concurrency: "unbounded" }),
            Effect.either(store.append("wrong", [event(0)], { expectedVersion: ExpectedVersion.exact(5) })),
            Effect.either(store.append("same", [event(1)], { expectedVersion: ExpectedVersion.noStream })),
            Effect.either(store.append("same", [event(2)], { expectedVersion: ExpectedVersion.noStream })),
            store.append("repeat", [{ id, ...event(1) }]),
            store.append("repeat", [{ id, ...event(1) }]),
            Effect.either(store.append("rejected", [event(1), event(2, "Rejected"), event(3)])),
            Effect.either(store.append("rejected-alone", [event(1, "Rejected")]))
          ],
          { concurrency: "unbounded" }
        )
        const [ok, wrong, sameFirst, sameSecond, repeatFirst, repeatSecond, rejected, rejectedAlone] = results
        assert.deepStrictEqual(
          ok.map((result) => result.version),
          Array.from({ length: 20 }, () => 1)
        )
        assert.isTrue(Either.isLeft(wrong) && wrong.left._tag === "WrongExpectedVersion" && wrong.left.actual === 0)
        // The second append to "same" ran after the first in the same transaction, and saw its version.
        assert.isTrue(Either.isRight(sameFirst) && sameFirst.right.version === 1)
        assert.isTrue(
          Either.isLeft(sameSecond) && sameSecond.left._tag === "WrongExpectedVersion" && sameSecond.left.actual === 1
        )
        // The same ids twice in one group: the second is a repeat of the first.
        assert.deepStrictEqual(repeatSecond, repeatFirst)
        assert.strictEqual(committedEvents("repeat"), 1)
        assert.isTrue(Either.isLeft(rejected) && rejected.left._tag === "StorageError")
        assert.strictEqual(committedEvents("rejected"), 0)
        assert.isTrue(Either.isLeft(rejectedAlone) && rejectedAlone.left._tag === "StorageError")
        assert.strictEqual(committedEvents("rejected-alone"), 0)
        assert.strictEqual(committedEvents("same"), 1)
        const positions = [...ok.flatMap((result) => result.positions), ...repeatFirst.positions]
        assert.strictEqual(new Set(positions.map(Position.format)).size, positions.length)
      })
  )

  it.scoped("a commit that fails fails every append of its group, and none is stored", () =>
    Effect.gen(function* () {
      const { committedEvents, sql, store } = yield* open("commit-fails")
      // A deferred foreign key is only checked at COMMIT: one 'Poison' event makes the whole transaction fail there.
      yield* sql`PRAGMA foreign_keys = ON`
      yield* sql`CREATE TABLE parents (id INTEGER PRIMARY KEY)`
      yield* sql`CREATE TABLE children (parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`
      yield* sql`CREATE TRIGGER poison AFTER INSERT ON chronicle_events WHEN NEW.type = 'Poison'
        BEGIN INSERT INTO children (parent) VALUES (42); END`
      const results = yield* Effect.all(
        [
          ...Array.from({ length: 9 }, (_, i) => store.append(`innocent-${i}`, [event(i)])),
          store.append("poisoned", [event(0, "Poison")])
        ].map(Effect.either),
        { concurrency: "unbounded" }
      )
      for (const result of results) {
        assert.isTrue(Either.isLeft(result) && result.left._tag === "StorageError")
        if (Either.isLeft(result) && result.left._tag === "StorageError") {
          assert.match(String((result.left.cause as { code?: unknown }).code), /^SQLITE_CONSTRAINT/)
        }
      }
      for (let i = 0; i < 9; i++) assert.strictEqual(committedEvents(`innocent-${i}`), 0)
      assert.deepStrictEqual(yield* store.headPosition, Position.start)
      // The store goes on.
      assert.strictEqual((yield* store.append("innocent-0", [event(0)])).version, 1)
    })
  )

  it.scopedLive("a busy group is retried as a whole, each append checked again; an interrupted one is dropped", () =>
    Effect.gen(function* () {
      const { committedEvents, filename, store } = yield* open("busy", { busyTimeout: "5 millis" })
      yield* store.append("setup", [event(0)])
      const other = yield* Effect.acquireRelease(
        Effect.sync(() => new Sqlite(filename)),
        (db) => Effect.sync(() => db.close())
      )
      other.exec("BEGIN IMMEDIATE")
      const waiting = yield* Effect.fork(
        Effect.all(
          [
            ...Array.from({ length: 5 }, (_, i) =>
              Effect.either(store.append(`busy-${i}`, [event(i)], { expectedVersion: ExpectedVersion.noStream }))
            ),
            Effect.either(store.append("contested", [event(1)], { expectedVersion: ExpectedVersion.noStream }))
          ],
          { concurrency: "unbounded" }
        )
      )
      const interrupted = yield* Effect.fork(store.append("interrupted", [event(1)]))
      yield* Effect.sleep("30 millis")
      yield* Fiber.interrupt(interrupted)
      // Meanwhile the other connection writes to "contested" and lets go of the lock.
      other
        .prepare(
          `INSERT INTO chronicle_events (stream_id, version, event_id, type, data, metadata, recorded_at)
           VALUES ('contested', 1, ?, 'Noted', '{}', '{}', 0)`
        )
        .run(crypto.randomUUID())
      other.exec("COMMIT")
      const results = yield* Fiber.join(waiting)
      for (const result of results.slice(0, 5)) assert.isTrue(Either.isRight(result) && result.right.version === 1)
      const contested = results[5]!
      assert.isTrue(
        Either.isLeft(contested) && contested.left._tag === "WrongExpectedVersion" && contested.left.actual === 1
      )
      assert.strictEqual(committedEvents("interrupted"), 0)
      assert.strictEqual(committedEvents("contested"), 1)
    })
  )
})
