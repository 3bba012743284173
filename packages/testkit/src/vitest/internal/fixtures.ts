import { EventCodec, EventStore, type RecordedEvent, type StreamId } from "@chronicle/core"
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
