// The schema version a snapshot is stored under (`CommandHandler.schemaVersionOf`): a snapshot is only read back by a
// handler whose state schema has the same version, so the version must tell schemas apart and stay the same for the
// same schema across releases (else every stored snapshot would be dropped after an upgrade).
import { CommandHandler } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"

const { schemaVersionOf } = CommandHandler

describe("CommandHandler.schemaVersionOf", () => {
  it("is the same for the same schema, in this release and the next", () => {
    const state = Schema.Struct({ balance: Schema.Number, owner: Schema.String })
    assert.strictEqual(
      schemaVersionOf(state),
      schemaVersionOf(Schema.Struct({ balance: Schema.Number, owner: Schema.String }))
    )
    assert.strictEqual(schemaVersionOf(state), "fnv1a:57b79587")
  })

  it("tells apart schemas that differ in a bigint literal; a refinement's predicate is not part of it", () => {
    assert.notStrictEqual(schemaVersionOf(Schema.Literal(1n)), schemaVersionOf(Schema.Literal(2n)))
    // A snapshot is decoded through the schema: a stricter predicate refuses the states it no longer accepts.
    const positive = Schema.Number.pipe(Schema.filter((n) => n > 0))
    const large = Schema.Number.pipe(Schema.filter((n) => n > 1000))
    assert.strictEqual(schemaVersionOf(positive), schemaVersionOf(large))
    assert.notStrictEqual(schemaVersionOf(positive), schemaVersionOf(Schema.Number))
  })

  it("is always eight hex digits after its algorithm's name", () => {
    for (let n = 0; n < 100; n++) assert.match(schemaVersionOf(Schema.Literal(n)), /^fnv1a:[0-9a-f]{8}$/)
  })
})
