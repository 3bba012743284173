import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { SqlIdentifier } from "../src/index.js"

const rules = { maxLength: 10, reservedPrefixes: ["sys_"] }

describe("SqlIdentifier", () => {
  it("accepts plain identifiers and rejects everything else, naming the option", () => {
    assert.deepStrictEqual(SqlIdentifier.validate(rules, "table", "events_1"), Either.right("events_1"))
    const bad = ['x"; DROP TABLE y', "1abc", "with-dash", "", "élan", "sys_events", "SYS_events", "eleven_char"]
    for (const name of bad) {
      const result = SqlIdentifier.validate(rules, "tables.events", name)
      assert.isTrue(Either.isLeft(result), name)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidIdentifier")
        assert.strictEqual(result.left.option, "tables.events")
        assert.strictEqual(result.left.name, name)
      }
    }
  })

  it("a table and its migrations table must differ, ignoring case", () => {
    const same = SqlIdentifier.validatePair(
      rules,
      { option: "table", name: "events" },
      { option: "migrationsTable", name: "EVENTS" }
    )
    assert.isTrue(Either.isLeft(same) && same.left.option === "migrationsTable")
    const ok = SqlIdentifier.validatePair(
      rules,
      { option: "table", name: "events" },
      { option: "migrationsTable", name: "versions" }
    )
    assert.deepStrictEqual(ok, Either.right(["events", "versions"] as const))
  })
})
