import { EventCodec, Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"

const Deposited = Schema.TaggedStruct("Deposited", { amount: Schema.Int, currency: Schema.String })
const Closed = Schema.TaggedStruct("Closed", { at: Schema.Date })
const Event = Schema.Union(Deposited, Closed)

/** v1 of Deposited had no currency. */
const DepositedV1 = Schema.Struct({ amount: Schema.Int })
/** An even older event type name, renamed since. */
const CashIn = Schema.Struct({ cents: Schema.Int })

const codec = EventCodec.make(Event, {
  upcasters: [
    EventCodec.upcaster("Deposited", DepositedV1, (old) => Deposited.make({ amount: old.amount, currency: "EUR" })),
    EventCodec.upcaster("CashIn", CashIn, (old) => Deposited.make({ amount: old.cents, currency: "EUR" }))
  ]
})

const fortieth = Schema.decodeSync(Position.FromString)("40")

const recorded = (type: string, data: unknown): RecordedEvent.RecordedEvent => ({
  id: "6f1c1e5e-8a43-4d6b-9d1e-0d9d5c1b2a11",
  streamId: "s-1" as StreamId.StreamId,
  version: 4,
  position: fortieth,
  type,
  data,
  metadata: {},
  tags: [],
  recordedAt: new Date(0)
})

describe("EventCodec", () => {
  it("encodes to { type, data } JSON and decodes back", () => {
    const at = new Date("2026-01-02T03:04:05.000Z")
    const encoded = Either.getOrThrow(codec.encode(Closed.make({ at })))
    assert.deepStrictEqual(encoded, { type: "Closed", data: { at: "2026-01-02T03:04:05.000Z" } })
    const decoded = Either.getOrThrow(codec.decode(recorded(encoded.type, JSON.parse(JSON.stringify(encoded.data)))))
    assert.deepStrictEqual(decoded.data, { _tag: "Closed", at })
    assert.strictEqual(decoded.version, 4)
  })

  it("refuses to encode an event that does not fit its schema", () => {
    const result = codec.encode({ _tag: "Deposited", amount: 1.5, currency: "EUR" }, "s-1", 2)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left._tag, "InvalidEvent")
      assert.strictEqual(result.left.index, 2)
    }
  })

  it("fails with EventDecodeError naming stream, version and type when data no longer fits", () => {
    const result = codec.decode(recorded("Deposited", { amount: "ten", currency: "EUR" }))
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left._tag, "EventDecodeError")
      assert.strictEqual(result.left.streamId, "s-1")
      assert.strictEqual(result.left.version, 4)
      assert.deepStrictEqual(result.left.position, fortieth)
      assert.strictEqual(result.left.type, "Deposited")
      assert.include(result.left.reason, "amount")
    }
    assert.isTrue(Either.isLeft(codec.decode(recorded("Unknown", { x: 1 }))))
    assert.isTrue(Either.isLeft(codec.decode(recorded("Deposited", "not an object"))))
  })

  it("upcasts an older shape of an event on read", () => {
    const result = Either.getOrThrow(codec.decodeData(recorded("Deposited", { amount: 10 })))
    assert.deepStrictEqual(result, { _tag: "Deposited", amount: 10, currency: "EUR" })
    const current = Either.getOrThrow(codec.decodeData(recorded("Deposited", { amount: 10, currency: "USD" })))
    assert.deepStrictEqual(current, { _tag: "Deposited", amount: 10, currency: "USD" })
  })

  it("upcasts a renamed event type on read", () => {
    const result = Either.getOrThrow(codec.decodeData(recorded("CashIn", { cents: 250 })))
    assert.deepStrictEqual(result, { _tag: "Deposited", amount: 250, currency: "EUR" })
    assert.isTrue(Either.isLeft(codec.decodeData(recorded("CashIn", { cents: "x" }))))
  })

  it("knows the stored types it reads", () => {
    assert.deepStrictEqual([...codec.types].sort(), ["CashIn", "Closed", "Deposited"])
    class Opened extends Schema.TaggedClass<Opened>()("Opened", { at: Schema.Date }) {}
    assert.deepStrictEqual([...EventCodec.make(Schema.Union(Opened, Closed)).types].sort(), ["Closed", "Opened"])
  })

  it("encodes batches with shared metadata", () => {
    const batch = Either.getOrThrow(
      codec.encodeAll([Deposited.make({ amount: 1, currency: "EUR" })], { metadata: { correlationId: "c" } })
    )
    assert.deepStrictEqual(batch, [
      { type: "Deposited", data: { amount: 1, currency: "EUR" }, metadata: { correlationId: "c" } }
    ])
  })
})
