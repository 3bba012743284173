/**
 * Projections: read models built from the global order of events. A projection names itself, says which events it
 * reads (its codec's types), and applies batches of them to its read model; `ProjectionRunner` feeds it and keeps
 * its checkpoint.
 *
 * @since 0.1.0
 */
import { Effect, Either, Ref, Stream } from "effect"
import * as CheckpointStore from "./CheckpointStore.js"
import type { EventCodec } from "./EventCodec.js"
import * as EventStore from "./EventStore.js"
import type { EventDecodeError } from "./EventStoreError.js"
import { checkPosition } from "./internal/validate.js"
import * as Position from "./Position.js"
import type { RecordedEvent } from "./RecordedEvent.js"

/**
 * A projection of events `E` into a read model.
 *
 * @since 0.1.0
 * @category models
 */
export interface Projection<E extends { readonly _tag: string }, Err = never, R = never> {
  /** Unique among projections: names the checkpoint. */
  readonly name: string
  /** Decodes the events the projection reads; events of other types pass it by. */
  readonly codec: EventCodec<E>
  /**
   * Applies a batch of events, in global order, to the read model; runs inside the checkpoint's commit. `upTo` is the
   * position the batch reaches (the checkpoint it commits), which may lie past its last event of interest.
   */
  readonly apply: (events: ReadonlyArray<RecordedEvent<E>>, upTo: Position.Position) => Effect.Effect<void, Err, R>
  /** Empties the read model, for a rebuild; runs inside the commit that resets the checkpoint to 0. */
  readonly reset: Effect.Effect<void, Err, R>
  /**
   * For a read model that keeps its own checkpoint (one in memory, which starts afresh with the process, so a
   * checkpoint stored elsewhere would outlive it): its checkpoint store. The runner then loads and commits the
   * checkpoint there instead of in the `CheckpointStore` service, with the same guarantees.
   */
  readonly checkpoints?: CheckpointStore.CheckpointStore["Type"]
}

/**
 * Declares a projection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E extends { readonly _tag: string }, Err = never, R = never>(
  projection: Projection<E, Err, R>
): Projection<E, Err, R> => projection

/**
 * A pure fold from a read model and one event to the next read model.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fold<E, M> {
  readonly initial: M
  readonly apply: (model: M, event: RecordedEvent<E>) => M
}

/**
 * A projection whose read model is a value in memory, updated by a pure fold. It keeps its own checkpoint beside the
 * model (a checkpoint stored elsewhere would outlive it), starting at `from` (default 0), in a checkpoint store of its
 * own: each page is folded and its checkpoint moved under that store's lock, so a failing page leaves both as they
 * were, and of two runners applying the same page at once, one wins and the other fails with `CheckpointConflict`:
 * no event is ever folded twice, whoever runs the projection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const inMemory = <E extends { readonly _tag: string }, M>(
  options: { readonly name: string; readonly codec: EventCodec<E>; readonly from?: Position.Position } & Fold<E, M>
): Effect.Effect<{ readonly projection: Projection<E>; readonly model: Effect.Effect<M> }> =>
  Effect.gen(function* () {
    const ref = yield* Ref.make(options.initial)
    const checkpoints = yield* CheckpointStore.makeInMemory([[options.name, options.from ?? Position.start]])
    return {
      projection: make({
        name: options.name,
        codec: options.codec,
        apply: (events) => Ref.update(ref, (model) => events.reduce(options.apply, model)),
        reset: Ref.set(ref, options.initial),
        checkpoints
      }),
      model: Ref.get(ref)
    }
  })

/**
 * Decodes the events of a page that the codec reads, passing others by; fails on the first that does not decode.
 *
 * @since 0.1.0
 * @category combinators
 */
export const decodeRelevant = <E extends { readonly _tag: string }>(
  codec: EventCodec<E>,
  events: Iterable<RecordedEvent>
): Either.Either<Array<RecordedEvent<E>>, EventDecodeError> => {
  const out: Array<RecordedEvent<E>> = []
  for (const event of events) {
    if (!codec.types.has(event.type)) continue
    const decoded = codec.decode(event)
    if (Either.isLeft(decoded)) return Either.left(decoded.left)
    out.push(decoded.right)
  }
  return Either.right(out)
}

/**
 * Time travel for read models: the model as of global position `until` (every event up to and including it), or of
 * the whole store when `until` is omitted, replayed from the start. An `until` that is not a `Position` fails with
 * `InvalidArgument`, as `CommandHandler.loadAt` does for versions out of range.
 *
 * @since 0.1.0
 * @category time travel
 */
export const foldAt = <E extends { readonly _tag: string }, M>(
  options: { readonly codec: EventCodec<E>; readonly until?: Position.Position } & Fold<E, M>
): Effect.Effect<M, EventStore.ReadError, EventStore.EventStore> =>
  Effect.suspend(() => {
    const invalid = checkPosition("until", options.until)
    if (invalid !== undefined) return Effect.fail(invalid)
    let model = options.initial
    const until = options.until
    return EventStore.readAll().pipe(
      Stream.takeWhile((event) => until === undefined || !Position.isAfter(event.position, until)),
      Stream.runForEachChunk((chunk) => {
        const decoded = decodeRelevant(options.codec, chunk)
        if (Either.isLeft(decoded)) return Effect.fail(decoded.left)
        model = decoded.right.reduce(options.apply, model)
        return Effect.void
      }),
      Effect.map(() => model)
    )
  })
