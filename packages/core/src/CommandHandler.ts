/**
 * Command handling: load a stream, decide, append with the loaded version as the expected version, and on a
 * concurrency conflict reload and decide again, as often as a `Schedule` allows.
 *
 * @since 0.1.0
 */
import { Effect, Either, Schedule, Stream } from "effect"
import type * as Decider from "./Decider.js"
import type { EventCodec } from "./EventCodec.js"
import * as EventStore from "./EventStore.js"
import type { EventDecodeError, EventStoreError } from "./EventStoreError.js"
import * as ExpectedVersion from "./ExpectedVersion.js"
import type { EventMetadata } from "./RecordedEvent.js"
import type { InvalidStreamId } from "./StreamId.js"

/**
 * A stream's state as loaded from its events, and the version it was loaded at.
 *
 * @since 0.1.0
 * @category models
 */
export interface Loaded<S> {
  readonly state: S
  readonly version: number
}

/**
 * The outcome of a handled command: the events recorded (none when the decider decided nothing), the new state, the
 * stream's version after them and their global positions.
 *
 * @since 0.1.0
 * @category models
 */
export interface Handled<E, S> {
  readonly events: ReadonlyArray<E>
  readonly state: S
  readonly version: number
  readonly positions: ReadonlyArray<number>
}

/**
 * Errors of loading a stream.
 *
 * @since 0.1.0
 * @category models
 */
export type LoadError = EventStoreError | EventDecodeError | InvalidStreamId

/**
 * Errors of handling a command: the domain's own errors, conflicts left after the retries, and store errors.
 *
 * @since 0.1.0
 * @category models
 */
export type HandleError<Err> = Err | EventStore.AppendError | LoadError

/**
 * Options of a command handler.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<C, E extends { readonly _tag: string }, S, Err> {
  readonly decider: Decider.Decider<C, E, S, Err>
  readonly codec: EventCodec<E>
  /**
   * How often, and with what delay, to reload and decide again after a `WrongExpectedVersion`.
   * Default: up to 10 retries, at once.
   */
  readonly retry?: Schedule.Schedule<unknown, unknown>
}

/**
 * Per-call options of `handle`: metadata for the recorded events (correlation id, causation id, user fields).
 *
 * @since 0.1.0
 * @category models
 */
export interface HandleOptions {
  readonly metadata?: EventMetadata
}

/**
 * A command handler bound to one decider and codec.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommandHandler<C, E, S, Err> {
  /** Replays the stream into the decider's state (the repository's `load`). */
  readonly load: (streamId: string) => Effect.Effect<Loaded<S>, LoadError, EventStore.EventStore>
  /** Handles one command against the stream, retrying on conflicts. */
  readonly handle: (
    streamId: string,
    command: C,
    options?: HandleOptions
  ) => Effect.Effect<Handled<E, S>, HandleError<Err>, EventStore.EventStore>
}

/**
 * The default retry policy: up to 10 immediate retries on `WrongExpectedVersion`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetry: Schedule.Schedule<number, unknown> = Schedule.recurs(10)

/**
 * Builds a command handler.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err>
): CommandHandler<C, E, S, Err> => {
  const { codec, decider } = options
  const retry = options.retry ?? defaultRetry

  const load = (streamId: string) =>
    Effect.suspend(() => {
      let state = decider.initialState
      let version = 0
      return Effect.flatMap(EventStore.EventStore, (store) =>
        Stream.runForEachChunk(store.readStream(streamId), (chunk) => {
          for (const event of chunk) {
            const decoded = codec.decodeData(event)
            if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
            state = decider.evolve(state, decoded.right)
            version = event.version
          }
          return Effect.void
        })
      ).pipe(Effect.map((): Loaded<S> => ({ state, version })))
    }).pipe(Effect.withSpan("CommandHandler.load", { attributes: { "chronicle.stream_id": streamId } }))

  const attempt = (streamId: string, command: C, handleOptions?: HandleOptions) =>
    Effect.gen(function* () {
      const loaded = yield* load(streamId)
      const decided = decider.decide(command, loaded.state)
      if (Either.isLeft(decided)) return yield* Effect.fail(decided.left)
      const events = decided.right
      if (events.length === 0) {
        return { events, state: loaded.state, version: loaded.version, positions: [] } satisfies Handled<E, S>
      }
      const encoded = codec.encodeAll(events, {
        streamId,
        ...(handleOptions?.metadata === undefined ? {} : { metadata: handleOptions.metadata })
      })
      if (Either.isLeft(encoded)) return yield* Effect.fail(encoded.left)
      const store = yield* EventStore.EventStore
      const result = yield* store.append(streamId, encoded.right, {
        expectedVersion: ExpectedVersion.exact(loaded.version)
      })
      let state = loaded.state
      for (const event of events) state = decider.evolve(state, event)
      return { events, state, version: result.version, positions: result.positions } satisfies Handled<E, S>
    })

  const handle = (streamId: string, command: C, handleOptions?: HandleOptions) =>
    attempt(streamId, command, handleOptions).pipe(
      Effect.retry({
        schedule: retry,
        while: (error) => (error as { readonly _tag?: unknown })?._tag === "WrongExpectedVersion"
      }),
      Effect.withSpan("CommandHandler.handle", { attributes: { "chronicle.stream_id": streamId } })
    ) as Effect.Effect<Handled<E, S>, HandleError<Err>, EventStore.EventStore>

  return { load, handle }
}
