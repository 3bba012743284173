import { EventCodec } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, ParseResult, Schema } from "effect"
import * as PlainEncoder from "../src/internal/plainEncoder.js"

const Amount = Schema.Number.pipe(Schema.int(), Schema.nonNegative(), Schema.brand("Amount"))

/** A flat struct of every field type the fast path knows. */
const Flat = Schema.TaggedStruct("Flat", {
  name: Schema.String,
  amount: Amount,
  ratio: Schema.Number,
  active: Schema.Boolean,
  kind: Schema.Literal("a", "b", 3),
  label: Schema.NonEmptyString.pipe(Schema.maxLength(5)),
  either: Schema.Union(Schema.String, Schema.Number),
  note: Schema.optional(Schema.String),
  exact: Schema.optionalWith(Amount, { exact: true })
})

/** Shapes the fast path leaves to the parser. */
const Dated = Schema.TaggedStruct("Dated", { at: Schema.Date })
const Nested = Schema.TaggedStruct("Nested", { inner: Schema.Struct({ n: Schema.Number }) })
const Keyed = Schema.Struct(
  { _tag: Schema.Literal("Keyed") },
  Schema.Record({ key: Schema.String, value: Schema.Number })
)
const Renamed = Schema.Struct({
  _tag: Schema.Literal("Renamed"),
  n: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("N"))
})
const Filtered = Schema.TaggedStruct("Filtered", { n: Schema.Number }).pipe(Schema.filter((e) => e.n > 0))
class Classy extends Schema.TaggedClass<Classy>()("Classy", { n: Schema.Number }) {}
const Listed = Schema.TaggedStruct("Listed", { items: Schema.Array(Schema.String) })

const Event = Schema.Union(Flat, Dated, Nested, Keyed, Renamed)

/** What the codec encoded before the fast path: Effect's encoder, `_tag` split off as the type. */
const reference = <A, I extends { readonly _tag: string }>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeUnknownEither(schema)
  return (event: unknown) =>
    Either.match(encode(event), {
      onLeft: (error) => Either.left(ParseResult.TreeFormatter.formatErrorSync(error)),
      onRight: ({ _tag, ...data }) => Either.right(JSON.stringify({ type: _tag, data }))
    })
}

/** Values of every kind, for the fields to meet. */
const anyValue = FastCheck.oneof(
  FastCheck.string({ maxLength: 8 }),
  FastCheck.constantFrom("a", "b", 3, "", "abcdef", -1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2),
  FastCheck.integer({ min: -5, max: 1000 }),
  FastCheck.double(),
  FastCheck.boolean(),
  FastCheck.constant(undefined),
  FastCheck.constant(null),
  FastCheck.array(FastCheck.integer(), { maxLength: 2 }),
  FastCheck.dictionary(FastCheck.string({ maxLength: 2 }), FastCheck.integer(), { maxKeys: 2 })
)

/** Events: valid ones (from the schema), then with fields replaced, removed or added. */
const events = <A, I>(schema: Schema.Schema<A, I>) =>
  FastCheck.tuple(
    Arbitrary.make(schema) as FastCheck.Arbitrary<Record<string, unknown>>,
    FastCheck.array(
      FastCheck.tuple(
        FastCheck.constantFrom("replace", "remove", "add"),
        FastCheck.constantFrom(
          "_tag",
          "name",
          "amount",
          "ratio",
          "active",
          "kind",
          "label",
          "either",
          "note",
          "exact",
          "extra"
        ),
        anyValue
      ),
      { maxLength: 3 }
    )
  ).map(([event, changes]) => {
    const changed: Record<string, unknown> = { ...event }
    for (const [change, key, value] of changes) {
      if (change === "remove") delete changed[key]
      else if (change === "add" || key in changed) changed[key] = value
    }
    return changed
  })

describe("PlainEncoder", () => {
  it("takes flat structs of primitives, refinements, literals and unions of them, and leaves other shapes to the parser", () => {
    assert.isDefined(PlainEncoder.make(Flat.ast))
    for (const schema of [Dated, Nested, Keyed, Renamed, Filtered, Classy, Listed, Event, Schema.String]) {
      assert.isUndefined(PlainEncoder.make(schema.ast), String(schema.ast))
    }
  })

  it("a codec encodes every event as Effect's encoder does: the same data, key order and failures", () => {
    const codec = EventCodec.make(Event)
    const expected = reference(Event)
    const check = (event: Record<string, unknown>) => {
      const encoded = codec.encode(event as never)
      const wanted = expected(event)
      if (Either.isRight(wanted)) {
        assert.isTrue(Either.isRight(encoded), JSON.stringify(event))
        assert.strictEqual(JSON.stringify(Either.getOrThrow(encoded)), wanted.right)
      } else {
        assert.isTrue(Either.isLeft(encoded), JSON.stringify(event))
      }
    }
    FastCheck.assert(FastCheck.property(events(Flat), check), { numRuns: 2000 })
    FastCheck.assert(FastCheck.property(events(Dated), check), { numRuns: 200 })
  })

  it("the fast path's own answers: a copy of the declared fields, undefined for any event that fails a check", () => {
    const encode = PlainEncoder.make(Flat.ast)!
    const valid = {
      extra: 1,
      _tag: "Flat",
      name: "n",
      amount: 5,
      ratio: 0.5,
      active: true,
      kind: 3,
      label: "abc",
      either: 1,
      note: undefined
    }
    const data = encode(valid)
    // Neither the undeclared property nor the tag: the data of the event.
    const { _tag: _, extra: __, ...declared } = valid
    assert.deepStrictEqual(data, declared)
    assert.deepStrictEqual(Object.keys(data!), ["name", "amount", "ratio", "active", "kind", "label", "either", "note"])
    assert.isTrue(Object.hasOwn(encode({ ...valid, exact: 2 })!, "exact"))
    for (const [key, value] of [
      ["_tag", "Other"],
      ["name", 1],
      ["amount", -1],
      ["amount", 1.5],
      ["amount", "5"],
      ["ratio", "0"],
      ["active", 1],
      ["kind", "c"],
      ["label", ""],
      ["label", "abcdef"],
      ["either", true],
      ["note", null],
      ["exact", undefined]
    ] as const) {
      assert.isUndefined(encode({ ...valid, [key]: value }), `${key}: ${String(value)}`)
    }
    const { name: ___, ...missing } = valid
    assert.isUndefined(encode(missing))
    assert.isUndefined(encode(Object.create(valid)))
    for (const notAnObject of [null, undefined, "Flat", 1, [valid]]) assert.isUndefined(encode(notAnObject))
  })
})
