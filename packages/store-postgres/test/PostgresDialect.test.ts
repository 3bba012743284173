// The PostgreSQL dialect's pure parts: the names of a table's companions (which existing databases depend on: a name
// that changed between releases would lose a table's tags index), and how driver errors are classified.
import { assert, describe, it } from "@effect/vitest"
import { companion, dialect } from "../src/internal/dialect.js"

describe("PostgreSQL dialect", () => {
  it("a companion keeps its plain name up to 63 characters; past that, the table's start, a hash, the suffix", () => {
    assert.strictEqual(companion("a".repeat(58), "_tags"), `${"a".repeat(58)}_tags`)
    const long = "ledger_of_the_northern_branch_office_accounts_receivable_events"
    // Pinned: these are the names of tables and functions in existing databases.
    assert.strictEqual(companion(long, "_tags"), "ledger_of_the_northern_branch_office_accounts_rec_dfac390f_tags")
    assert.strictEqual(
      companion(long, "_index_tags"),
      "ledger_of_the_northern_branch_office_accoun_dfac390f_index_tags"
    )
    assert.strictEqual(companion("a".repeat(59), "_tags"), `${"a".repeat(49)}_e1afc92a_tags`)
    // A hash with leading zeros keeps all eight digits.
    assert.strictEqual(companion(`${"b".repeat(60)}220`, "_tags"), `${"b".repeat(49)}_00cfa40f_tags`)
    for (const name of [companion(long, "_tags"), companion(long, "_index_tags"), companion("a".repeat(59), "_tags")]) {
      assert.strictEqual(name.length, 63)
    }
    // Tables that share their first 60 characters have companions of their own.
    const prefix = "x".repeat(60)
    const names = new Set(["a", "b", "ab", "ba", "aa"].map((end) => companion(`${prefix}${end}`, "_tags")))
    assert.strictEqual(names.size, 5)
  })

  it("retries serialization failures and deadlocks, whatever wraps them; 23505 is a unique violation", () => {
    const wrapped = (code: string) => ({ _tag: "SqlError", cause: { code } })
    assert.isTrue(dialect.isRetryable(wrapped("40001")))
    assert.isTrue(dialect.isRetryable(wrapped("40P01")))
    for (const code of ["23505", "40000", "57014", "08006"]) assert.isFalse(dialect.isRetryable(wrapped(code)), code)
    assert.isTrue(dialect.isUniqueViolation(wrapped("23505")))
    assert.isFalse(dialect.isUniqueViolation(wrapped("23503")))
    assert.isFalse(dialect.isRetryable(new Error("no code")))
  })
})
