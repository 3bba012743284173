// The server goes away and comes back, on a server of this file's own (stopping the run's shared server would stop
// every other test file): while it is down, every operation fails with StorageError, promptly, never a defect; once it
// is back, the pool serves again and live subscriptions carry on from where they were, nothing lost or repeated.
import { EventStore, ExpectedVersion, type RecordedEvent } from "@chronicle/core"
import { createDatabase, start } from "@chronicle/postgres-server"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Chunk, Context, Effect, Exit, Layer, Stream } from "effect"
import { PostgresEventStore } from "../src/index.js"

const event = (n: number) => ({ type: "Noted", data: { n } })

/** Waits until `ready` holds, checking every 50 ms, for at most `seconds`. */
const eventually = <E, R>(ready: Effect.Effect<boolean, E, R>, seconds = 30) =>
  Effect.gen(function* () {
    for (let i = 0; i < seconds * 20; i++) {
      if (yield* ready) return
      yield* Effect.sleep("50 millis")
    }
    assert.fail("the condition was not met in time")
  })

describe("PostgresEventStore when the server goes away", () => {
  it.scopedLive(
    "operations fail with StorageError while the server is down; then the pool recovers and subscriptions resume",
    () =>
      Effect.gen(function* () {
        const server = yield* Effect.acquireRelease(
          Effect.promise(() => start({ settings: { fsync: "off" } })),
          (s) => Effect.promise(() => s.stop())
        )
        const { url } = yield* Effect.promise(() => createDatabase(server.url, "loss"))
        const config = { url, connectTimeout: "1 second", statementTimeout: "5 seconds" } as const
        const store = Context.get(yield* Layer.build(PostgresEventStore.layer(config)), EventStore.EventStore)
        const other = Context.get(yield* Layer.build(PostgresEventStore.layer(config)), EventStore.EventStore)

        const received: Array<RecordedEvent.RecordedEvent> = []
        const subscriber = yield* Effect.fork(
          store.subscribe().pipe(Stream.runForEach((e) => Effect.sync(() => void received.push(e))))
        )
        for (let n = 1; n <= 3; n++) yield* store.append("loss-1", [event(n)])
        yield* eventually(Effect.sync(() => received.length === 3))

        yield* Effect.promise(() => server.pause())
        const operations: Record<string, Effect.Effect<unknown, unknown>> = {
          append: store.append("loss-1", [event(99)]),
          appendByTheRule: store.append("loss-2", [event(99)], { expectedVersion: ExpectedVersion.exact(7) }),
          readAll: Stream.runCollect(store.readAll()),
          readStream: Stream.runCollect(store.readStream("loss-1")),
          streamVersion: store.streamVersion("loss-1"),
          headPosition: store.headPosition
        }
        for (const [name, operation] of Object.entries(operations)) {
          const started = Date.now()
          const exit = yield* Effect.exit(operation)
          assert.isTrue(Exit.isFailure(exit), name)
          if (Exit.isFailure(exit)) {
            assert.isFalse(Cause.isDie(exit.cause), `${name} died: ${Cause.pretty(exit.cause)}`)
            const failure = Cause.failureOption(exit.cause)
            assert.strictEqual(
              failure._tag === "Some" && (failure.value as { _tag: string })._tag,
              "StorageError",
              name
            )
          }
          assert.isBelow(Date.now() - started, 5000, `${name} took too long to fail`)
        }
        // The subscription is still running: it waits for the server.
        assert.isNull(subscriber.unsafePoll())
        yield* Effect.sleep("1 second")

        yield* Effect.promise(() => server.resume())
        // The pool serves again (the first statements may still meet connections the restart broke).
        yield* eventually(Effect.map(Effect.either(store.append("loss-1", [event(4)])), (r) => r._tag === "Right"))
        for (let n = 5; n <= 6; n++) yield* store.append("loss-1", [event(n)])
        for (let n = 1; n <= 3; n++) yield* other.append("loss-3", [event(n)])
        yield* eventually(Effect.sync(() => received.length >= 9))
        yield* Effect.sleep("300 millis")

        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
        assert.strictEqual(all.length, 9)
        assert.deepStrictEqual(
          received.map((e) => `${e.streamId}:${e.version}`),
          all.map((e) => `${e.streamId}:${e.version}`)
        )
        assert.deepStrictEqual(
          all.filter((e) => e.streamId === "loss-1").map((e) => (e.data as { n: number }).n),
          [1, 2, 3, 4, 5, 6]
        )
      }),
    120_000
  )

  it.scopedLive(
    "a server that stops answering mid-statement: the statement fails with StorageError after the timeouts, no hang",
    () =>
      Effect.gen(function* () {
        const server = yield* Effect.acquireRelease(
          Effect.promise(() => start({ settings: { fsync: "off" } })),
          (s) => Effect.promise(() => s.stop())
        )
        const { url } = yield* Effect.promise(() => createDatabase(server.url, "frozen"))
        // One connection in the pool: the one whose backend is frozen.
        const context = yield* Layer.build(
          PostgresEventStore.layerWithClient({
            url,
            statementTimeout: "1 second",
            connectTimeout: "1 second",
            maxConnections: 1
          })
        )
        const store = Context.get(context, EventStore.EventStore)
        const sql = Context.get(context, SqlClient.SqlClient)
        yield* store.append("frozen-1", [event(1)])
        // Let the notification of that append go out first: it takes the pool's one connection too.
        yield* Effect.sleep("300 millis")
        const [{ pid }] = (yield* sql<{ readonly pid: number }>`SELECT pg_backend_pid() AS pid`) as unknown as [
          { readonly pid: number }
        ]
        process.kill(pid, "SIGSTOP")
        yield* Effect.addFinalizer(() => Effect.sync(() => process.kill(pid, "SIGCONT")))
        const started = Date.now()
        const exit = yield* Effect.exit(store.append("frozen-1", [event(2)]))
        const took = Date.now() - started
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isFailure(exit)) {
          assert.isFalse(Cause.isDie(exit.cause), Cause.pretty(exit.cause))
          const failure = Cause.failureOption(exit.cause)
          assert.strictEqual(failure._tag === "Some" && failure.value._tag, "StorageError")
        }
        // The server could not even cancel the statement: the client's own timeout (statement timeout + 5 s) ended it.
        assert.isAbove(took, 5000)
        assert.isBelow(took, 15_000)
        // The frozen connection was dropped, not handed out again: the next statement gets a new one at once.
        const next = Date.now()
        assert.strictEqual(yield* store.streamVersion("frozen-1"), 1)
        assert.isBelow(Date.now() - next, 3000)
      }),
    120_000
  )
})
