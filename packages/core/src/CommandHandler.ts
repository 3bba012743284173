/**
 * Command handling: load a stream, decide, append with the loaded version as the expected version, and on a
 * concurrency conflict reload and decide again, as often as a `Schedule` allows.
 *
 * @since 0.1.0
 */
import { Effect, Either, Option, Schedule, Schema, Stream } from "effect"
import type * as Decider from "./Decider.js"
import type { EventCodec } from "./EventCodec.js"
import * as EventStore from "./EventStore.js"
import { type EventDecodeError, InvalidArgument, WrongExpectedVersion } from "./EventStoreError.js"
import { checkCount } from "./internal/validate.js"
import { traced } from "./internal/tracing.js"
import * as ExpectedVersion from "./ExpectedVersion.js"
import type { EventMetadata, RecordedEvent } from "./RecordedEvent.js"
import * as SnapshotStore from "./SnapshotStore.js"
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
export type LoadError = EventStore.ReadError | InvalidStreamId

/**
 * Errors of handling a command: the domain's own errors, conflicts left after the retries, and store errors.
 *
 * @since 0.1.0
 * @category models
 */
export type HandleError<Err> = Err | EventStore.AppendError | LoadError

/**
 * Snapshot settings: the state's Schema (states are stored encoded), when to snapshot, and which schema version the
 * snapshots carry (default: a hash of the schema, so a change of the state's shape retires old snapshots by itself).
 *
 * @since 0.1.0
 * @category models
 */
export interface SnapshotOptions<S> {
  // biome-ignore lint/suspicious/noExplicitAny: any encoded form will do; only the schema reads it
  readonly schema: Schema.Schema<S, any>
  /** Default: `SnapshotStore.every(100)`. */
  readonly policy?: SnapshotStore.Policy
  readonly schemaVersion?: string
}

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
  /** Load from the latest snapshot plus the events after it, and take snapshots as the policy says. */
  readonly snapshots?: SnapshotOptions<S>
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
 * A point in a stream's past: after the event at `version`, or as it was at `time` (by `recordedAt`).
 *
 * @since 0.1.0
 * @category models
 */
export type PointInTime = { readonly version: number } | { readonly time: Date }

/**
 * A command handler bound to one decider and codec. `R` is `EventStore`, plus `SnapshotStore` when it snapshots.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommandHandler<C, E, S, Err, R = EventStore.EventStore> {
  /** Replays the stream (from the latest usable snapshot, if any) into the decider's state. */
  readonly load: (streamId: string) => Effect.Effect<Loaded<S>, LoadError, R>
  /** Time travel: the state after the event at a version, or at a point in time; always replays from the start. */
  readonly loadAt: (streamId: string, at: PointInTime) => Effect.Effect<Loaded<S>, LoadError, EventStore.EventStore>
  /** Handles one command against the stream, retrying on conflicts. */
  readonly handle: (
    streamId: string,
    command: C,
    options?: HandleOptions
  ) => Effect.Effect<Handled<E, S>, HandleError<Err>, R>
  /** Loads the stream and stores a snapshot of it now (a no-op for a handler without snapshots). */
  readonly snapshot: (streamId: string) => Effect.Effect<Loaded<S>, LoadError, R>
}

/**
 * The default retry policy: up to 10 immediate retries on `WrongExpectedVersion`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetry: Schedule.Schedule<number, unknown> = Schedule.recurs(10)

/**
 * The default snapshot schema version: a hash of the state schema's structure.
 *
 * @since 0.1.0
 * @category snapshots
 */
export const schemaVersionOf = (schema: Schema.Schema.Any): string => {
  const text = JSON.stringify(schema.ast, (_key, value: unknown) =>
    typeof value === "bigint" ? `${value}n` : typeof value === "function" ? String(value) : value
  )
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `fnv1a:${hash.toString(16).padStart(8, "0")}`
}

/**
 * Builds a command handler.
 *
 * @since 0.1.0
 * @category constructors
 */
export function make<C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err> & { readonly snapshots: SnapshotOptions<S> }
): CommandHandler<C, E, S, Err, EventStore.EventStore | SnapshotStore.SnapshotStore>
export function make<C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err> & { readonly snapshots?: undefined }
): CommandHandler<C, E, S, Err>
export function make<C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err>
): CommandHandler<C, E, S, Err, EventStore.EventStore | SnapshotStore.SnapshotStore> {
  const { codec, decider, snapshots } = options
  const retry = options.retry ?? defaultRetry
  const initial: Loaded<S> = { state: decider.initialState, version: 0 }

  /** One page of events folded onto a loaded state: the step of `EventStore.foldStream`. */
  const foldPage = (
    loaded: Loaded<S>,
    page: ReadonlyArray<RecordedEvent>
  ): Either.Either<Loaded<S>, EventDecodeError> => {
    let state = loaded.state
    for (const event of page) {
      const decoded = codec.decodeData(event)
      if (Either.isLeft(decoded)) return Either.left(decoded.left)
      state = decider.evolve(state, decoded.right)
    }
    return Either.right({ state, version: page.length === 0 ? loaded.version : page[page.length - 1]!.version })
  }

  const snapshotting =
    snapshots === undefined
      ? undefined
      : {
          policy: snapshots.policy ?? SnapshotStore.every(100),
          schemaVersion: snapshots.schemaVersion ?? schemaVersionOf(snapshots.schema),
          decode: Schema.decodeUnknownEither(snapshots.schema),
          encode: Schema.encodeEither(snapshots.schema)
        }

  /** The latest usable snapshot (written by this state schema, decodable), as a loaded state; none otherwise. */
  const latestSnapshot = (streamId: string) =>
    snapshotting === undefined
      ? Effect.succeed(Option.none<Loaded<S>>())
      : Effect.flatMap(SnapshotStore.SnapshotStore, (store) => store.load(streamId)).pipe(
          Effect.map((found) => {
            if (Option.isNone(found) || found.value.schemaVersion !== snapshotting.schemaVersion) return Option.none()
            const state = snapshotting.decode(found.value.state)
            return Either.isRight(state)
              ? Option.some<Loaded<S>>({ state: state.right, version: found.value.version })
              : Option.none()
          })
        )

  /**
   * Folds the stream's events after a snapshot onto it; none when the snapshot is ahead of its stream (events restored
   * from an older backup beside newer snapshots), which must never be used. Reading an event after the snapshot
   * proves the stream reached it (versions have no gaps); only when none follows does it cost one more query, for the
   * stream's version.
   */
  const loadOnSnapshot = (streamId: string, snapshot: Loaded<S>) =>
    Effect.flatMap(EventStore.EventStore, (store) =>
      Effect.flatMap(loadFrom(streamId, snapshot), (loaded) =>
        loaded.version > snapshot.version
          ? Effect.succeed(Option.some(loaded))
          : Effect.map(store.streamVersion(streamId), (version) =>
              version >= snapshot.version ? Option.some(loaded) : Option.none()
            )
      )
    )

  /** Drops a snapshot its stream has not reached, then replays the stream from the start. */
  const replayPastSnapshot = (streamId: string, snapshot: Loaded<S>) =>
    Effect.flatMap(SnapshotStore.SnapshotStore, (store) => store.delete(streamId)).pipe(
      Effect.catchAll((error) => Effect.logWarning(`Snapshot of ${streamId} ahead of its stream not deleted`, error)),
      Effect.zipRight(
        Effect.logWarning(`Snapshot of ${streamId} at version ${snapshot.version} is ahead of its stream: replaying`)
      ),
      Effect.zipRight(loadFrom(streamId, initial))
    )

  const saveSnapshot = (streamId: string, loaded: Loaded<S>) =>
    snapshotting === undefined
      ? Effect.void
      : Effect.gen(function* () {
          const encoded = snapshotting.encode(loaded.state)
          if (Either.isLeft(encoded)) return yield* Effect.fail(encoded.left)
          const store = yield* SnapshotStore.SnapshotStore
          yield* store.save({
            streamId,
            version: loaded.version,
            schemaVersion: snapshotting.schemaVersion,
            state: encoded.right
          })
        }).pipe(
          Effect.catchAll((error) => Effect.logWarning(`Snapshot of ${streamId} at ${loaded.version} not saved`, error))
        )

  /** Folds the stream's events after `start` onto it. */
  const loadFrom = (streamId: string, start: Loaded<S>) =>
    Effect.flatMap(EventStore.EventStore, (store) =>
      store.foldStream(streamId, start, foldPage, { from: start.version + 1 })
    )

  const load = (streamId: string) =>
    traced("CommandHandler.load", () => ({ "chronicle.stream_id": streamId }))(
      Effect.flatMap(latestSnapshot(streamId), (snapshot) =>
        Option.isNone(snapshot)
          ? loadFrom(streamId, initial)
          : Effect.flatMap(loadOnSnapshot(streamId, snapshot.value), (reached) =>
              Option.isSome(reached) ? Effect.succeed(reached.value) : replayPastSnapshot(streamId, snapshot.value)
            )
      )
    )

  const loadAt = (streamId: string, at: PointInTime) =>
    traced("CommandHandler.loadAt", () => ({ "chronicle.stream_id": streamId }))(
      Effect.flatMap(EventStore.EventStore, (store): Effect.Effect<Loaded<S>, LoadError> => {
        if ("version" in at) {
          const bad = checkCount("version", at.version)
          return bad !== undefined
            ? Effect.fail(bad)
            : store.foldStream(streamId, initial, foldPage, { to: at.version })
        }
        const time = at.time instanceof Date ? at.time.getTime() : Number.NaN
        if (Number.isNaN(time)) {
          return Effect.fail(
            new InvalidArgument({ argument: "time", value: String(at.time), reason: "must be a valid Date" })
          )
        }
        // Events are recorded in version order, so the first one after `time` ends the fold.
        return Stream.runFoldWhile(
          store.readStream(streamId).pipe(Stream.takeWhile((event) => event.recordedAt.getTime() <= time)),
          Either.right(initial) as Either.Either<Loaded<S>, EventDecodeError>,
          Either.isRight,
          (loaded, event) => Either.flatMap(loaded, (l) => foldPage(l, [event]))
        ).pipe(Effect.flatten)
      })
    )

  /**
   * Decides against `loaded` and appends at its version. A retry after a conflict folds on from the state it loaded
   * before rather than replaying the stream; a snapshot ahead of the stream (a restored or reset event store) is
   * dropped and the stream replayed.
   */
  const attempt = (
    streamId: string,
    command: C,
    loaded: Loaded<S>,
    handleOptions: HandleOptions | undefined,
    remember: (loaded: Loaded<S>) => void
  ): Effect.Effect<Handled<E, S>, HandleError<Err>, EventStore.EventStore | SnapshotStore.SnapshotStore> => {
    remember(loaded)
    const decided = decider.decide(command, loaded.state)
    if (Either.isLeft(decided)) return Effect.fail(decided.left)
    const events = decided.right
    if (events.length === 0) {
      return Effect.succeed({ events, state: loaded.state, version: loaded.version, positions: [] })
    }
    const encoded = codec.encodeAll(events, {
      streamId,
      ...(handleOptions?.metadata === undefined ? {} : { metadata: handleOptions.metadata })
    })
    if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
    return Effect.flatMap(EventStore.EventStore, (store) =>
      store.append(streamId, encoded.right, { expectedVersion: ExpectedVersion.exact(loaded.version) }).pipe(
        Effect.flatMap((result) => {
          let state = loaded.state
          for (const event of events) state = decider.evolve(state, event)
          const handled: Handled<E, S> = { events, state, version: result.version, positions: result.positions }
          return snapshotting?.policy({ before: loaded.version, after: result.version })
            ? Effect.as(saveSnapshot(streamId, { state, version: result.version }), handled)
            : Effect.succeed(handled)
        }),
        Effect.catchIf(
          (error): error is WrongExpectedVersion =>
            error instanceof WrongExpectedVersion && error.actual < loaded.version,
          () =>
            Effect.flatMap(load(streamId), (replayed) => attempt(streamId, command, replayed, handleOptions, remember))
        )
      )
    )
  }

  const handle = (streamId: string, command: C, handleOptions?: HandleOptions) =>
    Effect.suspend(() => {
      let last: Loaded<S> | undefined
      const remember = (loaded: Loaded<S>) => {
        last = loaded
      }
      return Effect.suspend(() => (last === undefined ? load(streamId) : loadFrom(streamId, last))).pipe(
        Effect.flatMap((loaded) => attempt(streamId, command, loaded, handleOptions, remember)),
        Effect.retry({ schedule: retry, while: (error) => error instanceof WrongExpectedVersion })
      )
    }).pipe(traced("CommandHandler.handle", () => ({ "chronicle.stream_id": streamId })))

  const snapshot = (streamId: string) => Effect.tap(load(streamId), (loaded) => saveSnapshot(streamId, loaded))

  return { load, loadAt, handle, snapshot }
}
