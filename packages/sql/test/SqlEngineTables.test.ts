import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { type SqlDialect, SqlEngine } from "../src/index.js"

// `tables` reads nothing of a dialect but its identifier rules.
const dialect = { identifiers: { maxLength: 20, reservedPrefixes: ["sys_"] } } as unknown as SqlDialect.SqlDialect

describe("SqlEngine.tables", () => {
  it("the default events table keeps chronicle_migrations; another gets <events>_migrations", () => {
    assert.strictEqual(SqlEngine.migrationsTableOf("chronicle_events"), "chronicle_migrations")
    assert.strictEqual(SqlEngine.migrationsTableOf("ledger"), "ledger_migrations")
    assert.deepStrictEqual(
      SqlEngine.tables(dialect, {}),
      Either.right({ events: "chronicle_events", migrations: "chronicle_migrations" })
    )
    assert.deepStrictEqual(
      SqlEngine.tables(dialect, { tables: { events: "ledger" } }),
      Either.right({ events: "ledger", migrations: "ledger_migrations" })
    )
    assert.deepStrictEqual(
      SqlEngine.tables(dialect, { tables: { events: "ledger" }, migrationsTable: "ledger_m" }),
      Either.right({ events: "ledger", migrations: "ledger_m" })
    )
  })

  it("an invalid name fails naming its option", () => {
    for (const [options, option, name] of [
      [{ tables: { events: "sys_events" } }, "tables.events", "sys_events"],
      [{ migrationsTable: "1abc" }, "migrationsTable", "1abc"],
      // The derived name is checked too: here it is too long.
      [{ tables: { events: "events_of_a_ledger" } }, "migrationsTable", "events_of_a_ledger_migrations"]
    ] as const) {
      const result = SqlEngine.tables(dialect, options)
      assert.isTrue(Either.isLeft(result), option)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left.option, option)
        assert.strictEqual(result.left.name, name)
      }
    }
  })
})
