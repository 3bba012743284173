import { CommandHandler, Decider, EventCodec, EventStore, Projection, ProjectionRunner } from "@chronicle/core"
import { StorageEngine } from "@chronicle/core/engine"
import { InMemoryCheckpointStore, InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Schema, Stream, Tracer } from "effect"

const Added = Schema.TaggedStruct("Added", { n: Schema.Number })
const codec = EventCodec.make(Added)
const handler = CommandHandler.make({
  decider: Decider.make({
    initialState: 0,
    decide: (n: number) => Either.right([Added.make({ n })]),
    evolve: (s: number, e: typeof Added.Type) => s + e.n
  }),
  codec
})

/** Runs `effect` under a tracer that records every span it starts. */
const recordSpans = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const base = yield* Effect.tracer
    const spans: Array<Tracer.Span> = []
    const tracer = Tracer.make({
      span: (...args) => {
        const span = base.span(...args)
        spans.push(span)
        return span
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    yield* Effect.withTracer(effect, tracer)
    return spans
  })

describe("tracing", () => {
  it.effect("with Effect's built-in tracer no span is opened; with another tracer the engine runs inside one", () =>
    Effect.gen(function* () {
      const engine = InMemoryEventStore.makeEngine()
      const seen: Array<string> = []
      const store = StorageEngine.toEventStore({
        ...engine,
        append: (request) =>
          Effect.zipRight(
            Effect.map(
              Effect.option(Effect.currentSpan),
              (span) => void seen.push(span._tag === "Some" ? span.value.name : "none")
            ),
            engine.append(request)
          )
      })
      const append = store.append("untraced-1", [{ type: "Added", data: { n: 1 } }])
      yield* append
      yield* recordSpans(append)
      assert.deepStrictEqual(seen, ["none", "EventStore.append"])
    })
  )

  it.effect("store operations and command handling run in named spans with stream id and event count", () =>
    Effect.gen(function* () {
      const spans = yield* recordSpans(
        Effect.gen(function* () {
          yield* EventStore.append("traced-1", [
            { type: "Added", data: { n: 1 } },
            { type: "Added", data: { n: 2 } }
          ])
          yield* handler.handle("traced-1", 5)
          yield* Stream.runDrain(EventStore.readAll())
          yield* Stream.runDrain(EventStore.readStream("traced-1"))
          yield* handler.load("traced-1")
          yield* handler.loadAt("traced-1", { version: 1 })
        })
      )
      const byName = (name: string) => spans.filter((s) => s.name === name)
      const [firstAppend] = byName("EventStore.append")
      assert.strictEqual(firstAppend?.attributes.get("chronicle.stream_id"), "traced-1")
      assert.strictEqual(firstAppend?.attributes.get("chronicle.event_count"), 2)
      assert.strictEqual(byName("EventStore.append").length, 2)
      assert.strictEqual(byName("CommandHandler.handle")[0]?.attributes.get("chronicle.stream_id"), "traced-1")
      assert.deepStrictEqual(
        byName("CommandHandler.load").map((span) => span.attributes.get("chronicle.stream_id")),
        ["traced-1", "traced-1"]
      )
      assert.strictEqual(byName("CommandHandler.loadAt")[0]?.attributes.get("chronicle.stream_id"), "traced-1")
      assert.strictEqual(byName("EventStore.foldStream").length, 3)
      assert.strictEqual(byName("EventStore.foldStream")[0]?.attributes.get("chronicle.stream_id"), "traced-1")
      assert.strictEqual(byName("EventStore.readAll").length, 1)
      assert.strictEqual(byName("EventStore.readStream").length, 1)
      assert.strictEqual(byName("EventStore.readStream")[0]?.attributes.get("chronicle.stream_id"), "traced-1")
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("a projection run is traced in a span named ProjectionRunner.run, with the projection's name", () =>
    Effect.gen(function* () {
      const projection = Projection.make({
        name: `traced-${crypto.randomUUID()}`,
        codec,
        apply: () => Effect.void,
        reset: Effect.void
      })
      const spans = yield* recordSpans(ProjectionRunner.catchUp(projection))
      assert.deepStrictEqual(
        spans
          .filter((span) => span.name === "ProjectionRunner.run")
          .map((span) => span.attributes.get("chronicle.projection")),
        [projection.name]
      )
    }).pipe(Effect.provide(Layer.merge(InMemoryEventStore.layer, InMemoryCheckpointStore.layer)))
  )
})
