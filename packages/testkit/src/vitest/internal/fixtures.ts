import { EventCodec, EventStore, Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import { Chunk, Effect, Schema, Stream } from "effect"

/** A small event union the conformance suites append and decode. */
export const Incremented = Schema.TaggedStruct("Incremented", { by: Schema.Number })
export const Noted = Schema.TaggedStruct("Noted", { text: Schema.String })
export const TestEvent = Schema.Union(Incremented, Noted)
export const codec = EventCodec.make(TestEvent)

/** A stream id no other test uses. */
export const uniqueStream = (label: string): string => `${label}-${crypto.randomUUID()}`

/** `n` new events, `Incremented { by: start }`, `Incremented { by: start + 1 }`, ... */
export const increments = (n: number, start = 1) =>
  Array.from({ length: n }, (_, i) => ({ type: "Incremented", data: { by: start + i } }))

/** Whether positions strictly increase (the global order), compared by `Position.Order`, never as numbers. */
export const increasing = (positions: ReadonlyArray<Position.Position>): boolean =>
  positions.every((p, i) => i === 0 || Position.isAfter(p, positions[i - 1]!))

/** A position read back from its text: checkpoint stores keep any position, whatever store made it. */
export const position = (text: string): Position.Position => Schema.decodeSync(Position.FromString)(text)

/**
 * A position after the head of any store: a pair sorts after every counter (memory, SQLite), and its transaction id
 * is beyond any a database reaches.
 */
export const farFuture: Position.Position = position("900719925474099:0")

/** Every event of one stream, forward. */
export const readStreamAll = (
  streamId: string,
  options?: EventStore.ReadStreamOptions
): Effect.Effect<
  ReadonlyArray<RecordedEvent.RecordedEvent>,
  EventStore.ReadError | StreamId.InvalidStreamId,
  EventStore.EventStore
> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    Stream.runCollect(store.readStream(streamId, options)).pipe(Effect.map(Chunk.toReadonlyArray))
  )

/** Every event in global order after `after`. */
export const readAllFrom = (
  options?: EventStore.ReadAllOptions
): Effect.Effect<ReadonlyArray<RecordedEvent.RecordedEvent>, EventStore.ReadError, EventStore.EventStore> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    Stream.runCollect(store.readAll(options)).pipe(Effect.map(Chunk.toReadonlyArray))
  )

/**
 * The `EventStore` in context, wrapped to count the events its stream reads return (`readStream` and `foldStream`),
 * and the reads themselves: how tests see what loading a stream costs. Keep one wrapper for a test: the handler's
 * state cache is kept per store.
 */
export const countingStore = Effect.map(EventStore.EventStore, (store) => {
  let read = 0
  let reads = 0
  const counting: EventStore.EventStore["Type"] = {
    ...store,
    readStream: (id, options) => {
      reads++
      return store.readStream(id, options).pipe(
        Stream.tap(() =>
          Effect.sync(() => {
            read++
          })
        )
      )
    },
    foldStream: (id, initial, step, options) => {
      reads++
      return store.foldStream(
        id,
        initial,
        (state, page) => {
          read += page.length
          return step(state, page)
        },
        options
      )
    }
  }
  return {
    read: () => read,
    reads: () => reads,
    run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provideService(effect, EventStore.EventStore, counting)
  }
})
