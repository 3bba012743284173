import { Storage } from "@chronicle/example-cli"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"

const values = (given: Partial<Storage.Values>): Storage.Values => ({
  db: undefined,
  fresh: false,
  pg: undefined,
  ...given
})

const url = "postgres://me:secret@db.example:5432/bank"

describe("Storage.choose", () => {
  it("--pg chooses PostgreSQL; --db, --fresh or nothing a SQLite file", () => {
    assert.deepStrictEqual(Storage.choose(values({ pg: url }), {}), { _tag: "Postgres", url, from: "--pg" })
    for (const given of [{}, { db: "my.db" }, { fresh: true }]) {
      assert.strictEqual(Storage.choose(values(given), {})._tag, "Sqlite")
    }
  })

  it("CHRONICLE_PG_URL chooses PostgreSQL unless a SQLite flag is given; --pg wins over it", () => {
    const env = { CHRONICLE_PG_URL: url }
    assert.deepStrictEqual(Storage.choose(values({}), env), { _tag: "Postgres", url, from: "CHRONICLE_PG_URL" })
    assert.strictEqual(Storage.choose(values({ db: "my.db" }), env)._tag, "Sqlite")
    assert.strictEqual(Storage.choose(values({ fresh: true }), env)._tag, "Sqlite")
    assert.strictEqual(Storage.choose(values({}), { CHRONICLE_PG_URL: "" })._tag, "Sqlite")
    const other = "postgres://other/db"
    assert.deepStrictEqual(Storage.choose(values({ pg: other }), env), { _tag: "Postgres", url: other, from: "--pg" })
  })
})

describe("Storage URLs", () => {
  it("shows a URL without its password", () => {
    assert.strictEqual(Storage.shown(url), "postgres://me:***@db.example:5432/bank")
    assert.strictEqual(Storage.shown("postgres://me@db/bank"), "postgres://me@db/bank")
  })

  it("takes postgres:// and postgresql:// URLs; anything else is a usage error naming where it came from", () => {
    assert.strictEqual(Effect.runSync(Storage.checkUrl(url, "--pg")), url)
    assert.strictEqual(Effect.runSync(Storage.checkUrl("postgresql://h/db", "--pg")), "postgresql://h/db")
    for (const [bad, from] of [
      ["bank.db", "--pg"],
      ["mysql://h/db", "CHRONICLE_PG_URL"]
    ] as const) {
      const error = Effect.runSync(Effect.flip(Storage.checkUrl(bad, from)))
      assert.strictEqual(
        error.problem,
        `${from} needs a PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DATABASE, not ${JSON.stringify(bad)}`
      )
    }
  })

  it("explains a store that cannot connect in one line naming the database; passes other failures on", () => {
    const connect = { _tag: "StorageError", operation: "EventStore.connect", cause: new Error("connect ECONNREFUSED") }
    const explained = Effect.runSync(Effect.flip(Storage.explain(url)(Effect.fail(connect))))
    assert.instanceOf(explained, Storage.PostgresError)
    assert.strictEqual(
      (explained as Storage.PostgresError).message,
      "cannot use PostgreSQL at postgres://me:***@db.example:5432/bank: connect ECONNREFUSED; check the URL " +
        "(--pg URL or CHRONICLE_PG_URL), and that the server is running"
    )
    const other = { _tag: "StorageError", operation: "EventStore.append", cause: new Error("disk full") }
    assert.strictEqual(Effect.runSync(Effect.flip(Storage.explain(url)(Effect.fail(other)))), other)
    assert.isTrue(Exit.isSuccess(Effect.runSyncExit(Storage.explain(url)(Effect.succeed(1)))))
  })
})
