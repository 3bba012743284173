// The shared SQL engine on PostgreSQL, watched from outside: how many statements and transactions an append costs
// (through a client that counts them), and when live readers are woken (through a notifier that counts).
import { ExpectedVersion } from "@chronicle/core"
import { AdminEngine, Notifier, StorageEngine } from "@chronicle/core/engine"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { SqlEngine } from "@chronicle/sql"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Effect, Either, Layer } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { applicationClient } from "./fixtures/applicationClient.js"
import { importedFirst } from "./fixtures/imported.js"

const url = await testDatabase("engine")
const application = applicationClient(url)

/** An engine over a client that counts its one-off statements and its reserved connections (transactions). */
const open = (label: string) =>
  Effect.gen(function* () {
    const client = Context.get(yield* Layer.build(application), SqlClient.SqlClient)
    const counts = { statements: 0, transactions: 0, notified: 0 }
    const spied = new Proxy(client, {
      get(target, key, receiver) {
        if (key === "unsafe") {
          return (...args: Parameters<SqlClient.SqlClient["unsafe"]>) => {
            counts.statements++
            return target.unsafe(...args)
          }
        }
        if (key === "reserve")
          return Effect.zipRight(
            Effect.sync(() => counts.transactions++),
            target.reserve
          )
        return Reflect.get(target, key, receiver)
      }
    })
    const inner = Notifier.make()
    const notifier: Notifier.Notifier = {
      notify: () => {
        counts.notified++
        inner.notify()
      },
      wait: inner.wait
    }
    const tables = yield* SqlEngine.tables(dialect, {
      tables: { events: `${label}_events` },
      migrationsTable: `${label}_m`
    })
    yield* SqlEngine.migrate(dialect, tables).pipe(Effect.provideService(SqlClient.SqlClient, client))
    const engine = SqlEngine.fromClient(spied, { dialect, tables, pollInterval: "1 second", notifier })
    const store = StorageEngine.toEventStore(engine)
    const admin = AdminEngine.toStoreAdmin(engine)
    /** What `effect` cost: statements outside a transaction, transactions, notifications. */
    const cost = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.gen(function* () {
        const before = { ...counts }
        const result = yield* effect
        return {
          result,
          statements: counts.statements - before.statements,
          transactions: counts.transactions - before.transactions,
          notified: counts.notified - before.notified
        }
      })
    return { client, store, admin, cost }
  })

const event = (n: number, id?: string) => ({ type: "Noted", data: { n }, ...(id === undefined ? {} : { id }) })

describe("SqlEngine on PostgreSQL", () => {
  it.scoped(
    "a plain append is one statement; an empty one, or one in the application's transaction, is decided in a transaction",
    () =>
      Effect.gen(function* () {
        const { client, cost, store } = yield* open("statements")
        const plain = yield* cost(store.append("s-1", [event(1), event(2)]))
        assert.deepStrictEqual([plain.result.version, plain.statements, plain.transactions], [2, 1, 0])
        const empty = yield* cost(store.append("s-1", [], { expectedVersion: ExpectedVersion.exact(2) }))
        assert.deepStrictEqual([empty.result.version, empty.statements, empty.transactions], [2, 0, 1])
        // Inside the application's transaction: its statements run on the transaction's connection, none on their own.
        const joined = yield* cost(client.withTransaction(store.append("s-1", [event(3)])))
        assert.deepStrictEqual([joined.result.version, joined.statements], [3, 0])
        // A unique index refusing it there (a stored id) leaves the application's transaction usable.
        const id = crypto.randomUUID()
        yield* store.append("s-2", [event(1, id)])
        const repeated = yield* client.withTransaction(
          Effect.zipLeft(store.append("s-2", [event(1, id)]), store.append("s-3", [event(1)]))
        )
        assert.strictEqual(repeated.version, 1)
        assert.strictEqual(yield* store.streamVersion("s-3"), 1)
      })
  )

  it.scoped("live readers are woken by what writes, not by repeats, failures or imports that skip everything", () =>
    Effect.gen(function* () {
      const { admin, cost, store } = yield* open("notified")
      const id = crypto.randomUUID()
      assert.strictEqual((yield* cost(store.append("n-1", [event(1, id)]))).notified, 1)
      assert.strictEqual((yield* cost(store.append("n-1", [event(1, id)]))).notified, 0)
      assert.strictEqual(
        (yield* cost(Effect.either(store.append("n-1", [event(2)], { expectedVersion: ExpectedVersion.exact(7) }))))
          .notified,
        0
      )
      const other = crypto.randomUUID()
      assert.strictEqual((yield* cost(store.appendMany([{ streamId: "n-2", events: [event(1, other)] }]))).notified, 1)
      assert.strictEqual((yield* cost(store.appendMany([{ streamId: "n-2", events: [event(1, other)] }]))).notified, 0)
      // Nothing to write (an empty batch whose expectation holds): decided, not a repeat, and nobody woken.
      assert.strictEqual((yield* cost(store.appendMany([{ streamId: "n-2", events: [] }]))).notified, 0)
      const importedId = crypto.randomUUID()
      const first = yield* cost(admin.importEvents([importedFirst("n-3", importedId)]))
      assert.deepStrictEqual([first.result.written, first.notified], [1, 1])
      const again = yield* cost(admin.importEvents([importedFirst("n-3", importedId)]))
      assert.deepStrictEqual([again.result.written, again.result.skipped, again.notified], [0, 1, 0])
      assert.isTrue(Either.isRight(yield* Effect.either(store.streamVersion("n-3"))))
    })
  )
})
