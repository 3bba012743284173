import { EventCodec, Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Schema, Stream } from "effect"

/** The envelope every recorded event of these tests shares. */
const envelope = { streamId: "shapes-1" as StreamId.StreamId, position: Position.start, metadata: {}, tags: [] }

const recorded = (type: string, data: unknown, version = 1): RecordedEvent.RecordedEvent => ({
  ...envelope,
  id: crypto.randomUUID(),
  version,
  type,
  data,
  recordedAt: new Date(0)
})

const Opened = Schema.TaggedStruct("Opened", { owner: Schema.String })
const Renamed = Schema.TaggedStruct("Renamed", { name: Schema.NonEmptyString })

describe("EventCodec over the shapes a schema can take", () => {
  it("reads the tags of classes, refinements, suspended and single schemas; other shapes name no type", () => {
    class Closed extends Schema.TaggedClass<Closed>()("Closed", { at: Schema.Number }) {}
    const refined = Opened.pipe(Schema.filter((opened) => opened.owner !== "nobody"))
    const suspended = Schema.suspend(() => Renamed)
    const union = Schema.Union(Closed, refined, suspended)
    assert.deepStrictEqual([...EventCodec.make(union).types].sort(), ["Closed", "Opened", "Renamed"])
    assert.deepStrictEqual([...EventCodec.make(Opened).types], ["Opened"])
    assert.deepStrictEqual([...EventCodec.make(Schema.Data(Opened)).types], ["Opened"])
    const untagged = Schema.Union(
      Schema.Struct({ _tag: Schema.String, n: Schema.Number }),
      Schema.Struct({ _tag: Schema.Literal(1) }),
      Schema.Struct({ kind: Schema.Literal("K") })
    )
    assert.deepStrictEqual([...EventCodec.make(untagged as never).types], [])
    assert.deepStrictEqual([...EventCodec.make(Schema.Union(Opened, Schema.Literal("x")) as never).types], ["Opened"])
    // Each member still decodes and encodes as the union does.
    const codec = EventCodec.make(union)
    assert.deepStrictEqual(Either.getOrThrow(codec.decodeData(recorded("Renamed", { name: "n" }))), {
      _tag: "Renamed",
      name: "n"
    })
    assert.isTrue(Either.isLeft(codec.decodeData(recorded("Opened", { owner: "nobody" }))))
    assert.deepStrictEqual(Either.getOrThrow(codec.encode(new Closed({ at: 3 }))), { type: "Closed", data: { at: 3 } })
  })

  it("members of one tag (shapes of one event) all decode and encode, as the union does", () => {
    const ByAmount = Schema.TaggedStruct("Paid", { amount: Schema.Number })
    const ByNote = Schema.TaggedStruct("Paid", { note: Schema.String })
    const ByCard = Schema.TaggedStruct("Paid", { card: Schema.Number })
    const codec = EventCodec.make(Schema.Union(ByAmount, ByNote, Opened, ByCard))
    assert.deepStrictEqual([...codec.types].sort(), ["Opened", "Paid"])
    for (const data of [{ amount: 5 }, { note: "cash" }, { card: 4 }]) {
      const decoded = Either.getOrThrow(codec.decodeData(recorded("Paid", data)))
      assert.deepStrictEqual(decoded, { _tag: "Paid", ...data } as never)
      assert.deepStrictEqual(Either.getOrThrow(codec.encode(decoded)), { type: "Paid", data })
    }
    // Data that fits neither shape: the reason names what each one misses.
    const neither = codec.decodeData(recorded("Paid", {}))
    if (Either.isRight(neither)) assert.fail("decoded")
    assert.strictEqual(neither.left.reason, "amount: is missing; note: is missing; card: is missing")
  })

  it("a value that is not an event fails to encode with InvalidEvent, never a crash", () => {
    for (const value of [null, undefined, { _tag: "Unknown" }, { _tag: "Opened" }]) {
      const result = codec().encode(value as never, "shapes-2", 3)
      assert.isTrue(Either.isLeft(result), JSON.stringify(value))
      if (Either.isLeft(result)) assert.deepStrictEqual([result.left.streamId, result.left.index], ["shapes-2", 3])
    }
    const result = codec().encode({ _tag: "Opened" } as never)
    if (Either.isRight(result)) assert.fail("encoded")
    assert.deepStrictEqual([result.left.streamId, result.left.index, result.left.reason], ["", 0, "owner: is missing"])
  })

  it("encodeAll names the stream and the index of the first event that does not encode; metadata only when given", () => {
    const events = [Opened.make({ owner: "ann" }), Renamed.make({ name: "x" }), { _tag: "Renamed", name: "" }]
    const failed = codec().encodeAll(events as never, { streamId: "shapes-3" })
    if (Either.isRight(failed)) assert.fail("encoded")
    assert.deepStrictEqual([failed.left.streamId, failed.left.index], ["shapes-3", 2])
    assert.match(failed.left.reason, /^name: /)
    const plain = Either.getOrThrow(codec().encodeAll(events.slice(0, 2) as never))
    assert.deepStrictEqual(plain, [
      { type: "Opened", data: { owner: "ann" } },
      { type: "Renamed", data: { name: "x" } }
    ])
    assert.isFalse(plain.some((event) => "metadata" in event))
    assert.deepStrictEqual(Either.getOrThrow(codec().encodeAll([])), [])
  })

  it("stored data that is not a JSON object fails to decode, saying so; the data's errors name their path", () => {
    for (const data of [null, [1], "text", 3]) {
      const result = codec().decodeData(recorded("Opened", data))
      if (Either.isRight(result)) assert.fail("decoded")
      assert.strictEqual(result.left.reason, "the stored data is not a JSON object")
    }
    const result = codec().decode(recorded("Opened", { owner: 1 }, 7))
    if (Either.isRight(result)) assert.fail("decoded")
    assert.deepStrictEqual([result.left.version, result.left.type], [7, "Opened"])
    assert.match(result.left.reason, /^owner: Expected string, actual 1$/)
    const Moved = Schema.TaggedStruct("Moved", { to: Schema.Struct({ city: Schema.String }) })
    const nested = EventCodec.make(Moved).decode(recorded("Moved", { to: { city: 1 } }))
    if (Either.isRight(nested)) assert.fail("decoded")
    assert.strictEqual(nested.left.reason, "to.city: Expected string, actual 1")
    // An issue of the whole event has no path to name.
    const Named = Opened.pipe(Schema.filter((opened) => opened.owner !== "nobody" || "an owner is needed"))
    const whole = EventCodec.make(Named).decode(recorded("Opened", { owner: "nobody" }))
    if (Either.isRight(whole)) assert.fail("decoded")
    assert.strictEqual(whole.left.reason, "an owner is needed")
  })

  it("tries each upcaster of a type in turn; the current schema's error when none fits", () => {
    const upcasters = [
      EventCodec.upcaster("Opened", Schema.Struct({ who: Schema.String }), (old) => Opened.make({ owner: old.who })),
      EventCodec.upcaster("Opened", Schema.Struct({ id: Schema.Number }), (old) => Opened.make({ owner: `#${old.id}` }))
    ]
    const upcasting = EventCodec.make(Schema.Union(Opened, Renamed), { upcasters })
    for (const [data, owner] of [
      [{ who: "bo" }, "bo"],
      [{ id: 4 }, "#4"]
    ] as const) {
      assert.deepStrictEqual(Either.getOrThrow(upcasting.decodeData(recorded("Opened", data))), Opened.make({ owner }))
    }
    const none = upcasting.decodeData(recorded("Opened", { other: true }))
    if (Either.isRight(none)) assert.fail("decoded")
    assert.strictEqual(none.left.reason, "owner: is missing")
  })

  it.effect("decodeStream decodes every chunk; the first event that does not decode fails the stream", () =>
    Effect.gen(function* () {
      const events = [recorded("Opened", { owner: "a" }, 1), recorded("Renamed", { name: "b" }, 2)]
      const decoded = yield* Stream.runCollect(
        Stream.fromIterable(events).pipe(Stream.rechunk(1), EventCodec.decodeStream(codec()))
      )
      assert.deepStrictEqual(
        Chunk.toArray(decoded).map((event) => [event.version, event.data]),
        [
          [1, { _tag: "Opened", owner: "a" }],
          [2, { _tag: "Renamed", name: "b" }]
        ]
      )
      const broken = [...events, recorded("Renamed", { name: "" }, 3), recorded("Opened", { owner: "c" }, 4)]
      const error = yield* Effect.flip(
        Stream.runCollect(Stream.fromIterable(broken).pipe(EventCodec.decodeStream(codec())))
      )
      assert.deepStrictEqual([error._tag, error.version], ["EventDecodeError", 3])
    })
  )
})

function codec() {
  return EventCodec.make(Schema.Union(Opened, Renamed))
}
