/**
 * Runs projections: catch up from the stored checkpoint, then follow new events live; or rebuild from the start.
 * Each page of events is applied and checkpointed in one commit, so a crash neither applies an event twice nor
 * skips one. Projections run independently, each with its own checkpoint.
 *
 * @since 0.1.0
 */
import { Chunk, Clock, Effect, Either, Stream } from "effect"
import * as CheckpointStore from "./CheckpointStore.js"
import * as EventStore from "./EventStore.js"
import { traced } from "./internal/tracing.js"
import * as Position from "./Position.js"
import * as Projection from "./Projection.js"
import type { RecordedEvent } from "./RecordedEvent.js"
import type { StorageError } from "./StorageError.js"

/**
 * Where a runner stands: the position it has committed, the store's head, and its pace.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progress {
  readonly name: string
  readonly position: Position.Position
  readonly head: Position.Position
  /** Events read (of any type) since this run started. */
  readonly processed: number
  readonly eventsPerSecond: number
}

/**
 * Options of the runner: page size and a progress callback, called after every committed page.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly pageSize?: number
  readonly onProgress?: (progress: Progress) => Effect.Effect<void>
}

/**
 * Errors of running a projection: the projection's own, decode errors and storage faults.
 *
 * @since 0.1.0
 * @category models
 */
export type RunError<Err> = Err | EventStore.ReadError | StorageError | CheckpointStore.CheckpointConflict

type Services<R> = R | EventStore.EventStore | CheckpointStore.CheckpointStore

const drive = <E extends { readonly _tag: string }, Err, R>(
  projection: Projection.Projection<E, Err, R>,
  source: (after: Position.Position) => Stream.Stream<RecordedEvent, EventStore.ReadError>,
  options: Options | undefined
): Effect.Effect<Progress, RunError<Err>, Services<R>> =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const checkpoints = projection.checkpoints ?? (yield* CheckpointStore.CheckpointStore)
    const started = yield* Clock.currentTimeMillis
    let position = yield* checkpoints.load(projection.name)
    let processed = 0
    const progress = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const head = yield* store.headPosition
      const seconds = (now - started) / 1000
      return {
        name: projection.name,
        position,
        head,
        processed,
        eventsPerSecond: seconds > 0 ? Math.round(processed / seconds) : 0
      } satisfies Progress
    })
    const applyPage = (page: Chunk.Chunk<RecordedEvent>) =>
      Effect.gen(function* () {
        if (Chunk.isEmpty(page)) return
        const decoded = Projection.decodeRelevant(projection.codec, page)
        if (Either.isLeft(decoded)) return yield* Effect.fail(decoded.left)
        const last = Chunk.unsafeLast(page).position
        yield* checkpoints.commit(
          projection.name,
          { from: position, to: last },
          decoded.right.length > 0 ? projection.apply(decoded.right, last) : Effect.void
        )
        position = last
        processed += page.length
        if (options?.onProgress !== undefined) yield* Effect.flatMap(progress, options.onProgress)
      })
    yield* Stream.runForEachChunk(source(position), applyPage)
    return yield* progress
  }).pipe(traced("ProjectionRunner.run", () => ({ "chronicle.projection": projection.name })))

/**
 * Applies every event after the checkpoint, up to the head as found, and returns where it stopped.
 *
 * @since 0.1.0
 * @category running
 */
export const catchUp = <E extends { readonly _tag: string }, Err, R>(
  projection: Projection.Projection<E, Err, R>,
  options?: Options
): Effect.Effect<Progress, RunError<Err>, Services<R>> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    drive(projection, (after) => store.readAll({ after, ...pageSize(options) }), options)
  )

/**
 * Catches up, then follows new events as they commit; runs until interrupted.
 *
 * @since 0.1.0
 * @category running
 */
export const run = <E extends { readonly _tag: string }, Err, R>(
  projection: Projection.Projection<E, Err, R>,
  options?: Options
): Effect.Effect<never, RunError<Err>, Services<R>> =>
  Effect.flatMap(EventStore.EventStore, (store) =>
    drive(projection, (after) => store.subscribe({ after, ...pageSize(options) }), options)
  ).pipe(Effect.zipRight(Effect.never))

/**
 * Rebuilds a projection: empties its read model and resets its checkpoint to 0 in one commit, then replays every
 * event, reporting progress as it goes.
 *
 * @since 0.1.0
 * @category running
 */
export const rebuild = <E extends { readonly _tag: string }, Err, R>(
  projection: Projection.Projection<E, Err, R>,
  options?: Options
): Effect.Effect<Progress, RunError<Err>, Services<R>> =>
  Effect.flatMap(
    projection.checkpoints === undefined ? CheckpointStore.CheckpointStore : Effect.succeed(projection.checkpoints),
    (checkpoints) =>
      Effect.flatMap(checkpoints.load(projection.name), (from) =>
        checkpoints.commit(projection.name, { from, to: Position.start }, projection.reset)
      )
  ).pipe(Effect.zipRight(catchUp(projection, options)))

const pageSize = (options: Options | undefined) =>
  options?.pageSize === undefined ? {} : { pageSize: options.pageSize }
