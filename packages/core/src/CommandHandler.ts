/**
 * Command handling, in one loop: **load** the stream (from the state cache, from the latest usable snapshot, or by
 * replaying it), **decide**, **append** with the loaded version as the expected version; on a conflict, **fold the
 * new events** onto the loaded state and decide again, as often as a `Schedule` allows. The store's expected-version
 * check is the authority: a handler never decides on a state the stream has moved past without finding out.
 *
 * @since 0.1.0
 */
import { Context, type Duration, Effect, Either, Schedule, type Schema, Stream } from "effect"
import type * as Decider from "./Decider.js"
import type { EventCodec } from "./EventCodec.js"
import * as EventStore from "./EventStore.js"
import { type EventDecodeError, InvalidArgument, WrongExpectedVersion } from "./EventStoreError.js"
import * as Loading from "./internal/loading.js"
import * as Snapshotting from "./internal/snapshotting.js"
import { traced, tracedWith } from "./internal/tracing.js"
import { checkCount } from "./internal/validate.js"
import * as ExpectedVersion from "./ExpectedVersion.js"
import type { Position } from "./Position.js"
import type { EventMetadata } from "./RecordedEvent.js"
import type * as SnapshotStore from "./SnapshotStore.js"
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
  readonly positions: ReadonlyArray<Position>
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
   * The tags of each event the handler appends (for reads by query and the conditions of decision models), given the
   * event and its stream. Default: none.
   */
  readonly tagsOf?: (event: E, streamId: string) => ReadonlyArray<string>
  /**
   * How often, and with what delay, to fold the new events in and decide again after a `WrongExpectedVersion`.
   * Default: `defaultRetry`.
   */
  readonly retry?: Schedule.Schedule<unknown, unknown>
  /** Load from the latest snapshot plus the events after it, and take snapshots as the policy says. */
  readonly snapshots?: SnapshotOptions<S>
  /**
   * The state cache: keep the latest state of recently handled streams. A command on a cached stream is decided on
   * the cached state and appended at its version without reading first (the store's expected-version check is the
   * authority: if the stream moved on, the append fails, the new events are folded in and the command decided again,
   * with no retry spent); a decision to write nothing is confirmed by reading the events after the cached version. A
   * `load` reads only those events. On by default (`defaultCacheCapacity` streams per store); `false` turns it off.
   */
  readonly cache?: CacheOptions | false
}

/**
 * State cache settings: how many streams to keep per store (least recently used go first; at least one), and for how
 * long an entry may be used before the stream is loaded afresh (no limit by default).
 *
 * @since 0.1.0
 * @category models
 */
export interface CacheOptions {
  readonly capacity?: number
  readonly timeToLive?: Duration.DurationInput
}

/**
 * How many streams a handler's state cache keeps per store by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCacheCapacity = 1000

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
 * The default retry policy on `WrongExpectedVersion`: three retries at once (a conflict usually means one other
 * writer got there first), then jittered exponential backoff from 2 ms, each wait at most 100 ms, for up to 100
 * retries in all. Enough for 100 fibers handling commands on one stream at the same time; any `Schedule` will do
 * instead (`retry`).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRetry: Schedule.Schedule<unknown, unknown> = Schedule.recurs(3).pipe(
  Schedule.andThen(
    Schedule.exponential("2 millis").pipe(
      Schedule.union(Schedule.spaced("100 millis")),
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(97))
    )
  )
)

/**
 * The default snapshot schema version: a hash of the state schema's structure.
 *
 * @since 0.1.0
 * @category snapshots
 */
export const schemaVersionOf: (schema: Schema.Schema.Any) => string = Snapshotting.schemaVersionOf

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
  type R = EventStore.EventStore | SnapshotStore.SnapshotStore
  const { codec, decider, tagsOf } = options
  const snapshots = options.snapshots === undefined ? undefined : Snapshotting.make(options.snapshots)
  const loading = Loading.make({
    decider,
    codec,
    snapshots,
    cache: options.cache,
    defaultCapacity: defaultCacheCapacity
  })
  const { initial, foldPage, foldAfter } = loading

  const load = (streamId: string): Effect.Effect<Loaded<S>, LoadError, R> =>
    traced("CommandHandler.load", () => ({ "chronicle.stream_id": streamId }))(loading.load(streamId))

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

  /** One command being handled: where, what, and the retry schedule once a conflict has started it. */
  interface Round {
    readonly store: EventStore.EventStore["Type"]
    readonly streamId: string
    readonly command: C
    readonly metadata: EventMetadata | undefined
    /** The state cache's time. */
    readonly time: number
    retries: Schedule.ScheduleDriver<unknown, unknown, never> | undefined
  }

  const nothing = (loaded: Loaded<S>): Handled<E, S> => ({
    events: [],
    state: loaded.state,
    version: loaded.version,
    positions: []
  })

  /**
   * Decides on `loaded` and appends what was decided at its version. `read`: whether `loaded` was read for this
   * command; a cached state is decided on as it is, and a decision to write nothing on it is confirmed by reading the
   * events after it first (decided again if there are any).
   */
  const decideOn = (
    round: Round,
    loaded: Loaded<S>,
    read: boolean
  ): Effect.Effect<Handled<E, S>, HandleError<Err>, R> => {
    const decided = decider.decide(round.command, loaded.state)
    if (Either.isRight(decided) && decided.right.length > 0) return append(round, decided.right, loaded, read)
    if (!read) {
      return Effect.flatMap(foldAfter(round.streamId, loaded), (latest) => {
        loading.remember(round.store, round.streamId, latest, round.time)
        return decideOn(round, latest, true)
      })
    }
    return Either.isLeft(decided) ? Effect.fail(decided.left) : Effect.succeed(nothing(loaded))
  }

  /** Appends decided events at the version of `loaded`; snapshots after the append when the policy says so. */
  const append = (
    round: Round,
    events: ReadonlyArray<E>,
    loaded: Loaded<S>,
    read: boolean
  ): Effect.Effect<Handled<E, S>, HandleError<Err>, R> => {
    const { metadata, streamId } = round
    const encoded = codec.encodeAll(events, metadata === undefined ? { streamId } : { streamId, metadata })
    if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
    const expectedVersion = ExpectedVersion.exact(loaded.version)
    const tagged =
      tagsOf === undefined
        ? encoded.right
        : encoded.right.map((event, i) => ({ ...event, tags: tagsOf(events[i]!, streamId) }))
    return Effect.matchEffect(round.store.append(streamId, tagged, { expectedVersion }), {
      onFailure: (error) =>
        error instanceof WrongExpectedVersion ? retry(round, loaded, read, error) : Effect.fail(error),
      onSuccess: (result) => {
        let state = loaded.state
        for (const event of events) state = decider.evolve(state, event)
        const after = { state, version: result.version }
        loading.remember(round.store, streamId, after, round.time)
        const handled: Handled<E, S> = { events, state, version: result.version, positions: result.positions }
        return snapshots?.policy({ before: loaded.version, after: result.version })
          ? Effect.as(snapshots.save(streamId, after), handled)
          : Effect.succeed(handled)
      }
    })
  }

  /**
   * After a conflict: the events the stream gained since `loaded`, folded onto it, and the command decided again, as
   * often as the retry schedule allows. A conflict met on a cached state that was not read costs no retry (a command
   * without the cache would have read those events first). A stream that went back (its store restored from an older
   * backup) is loaded afresh.
   */
  const retry = (round: Round, loaded: Loaded<S>, read: boolean, conflict: WrongExpectedVersion) => {
    const again = Effect.flatMap(
      // Stryker disable next-line EqualityOperator: a conflict means actual !== loaded.version, so `>=` is `>` here
      conflict.actual > loaded.version
        ? Effect.tap(foldAfter(round.streamId, loaded), (caughtUp) =>
            loading.remember(round.store, round.streamId, caughtUp, round.time)
          )
        : loading.reload(round.streamId),
      (latest) => decideOn(round, latest, true)
    )
    if (!read) return again
    const retries =
      round.retries === undefined
        ? Effect.tap(Schedule.driver(options.retry ?? defaultRetry), (driver) => {
            round.retries = driver
          })
        : Effect.succeed(round.retries)
    return Effect.flatMap(retries, (driver) =>
      Effect.matchEffect(driver.next(conflict), { onFailure: () => Effect.fail(conflict), onSuccess: () => again })
    )
  }

  // A warm command is one append: the cached state is decided on without reading, and the store's expected version
  // checks it.
  const handle = (
    streamId: string,
    command: C,
    handleOptions?: HandleOptions
  ): Effect.Effect<Handled<E, S>, HandleError<Err>, R> =>
    tracedWith(
      "CommandHandler.handle",
      () => ({ "chronicle.stream_id": streamId }),
      (clock, context) => {
        const store = Context.unsafeGet(context, EventStore.EventStore)
        const time = loading.timeOf(clock)
        const round: Round = { store, streamId, command, metadata: handleOptions?.metadata, time, retries: undefined }
        const cached = loading.lookup(store, streamId, time)
        return cached === undefined
          ? Effect.flatMap(load(streamId), (loaded) => decideOn(round, loaded, true))
          : decideOn(round, cached, false)
      }
    )

  const snapshot = (streamId: string) =>
    snapshots === undefined ? load(streamId) : Effect.tap(load(streamId), (loaded) => snapshots.save(streamId, loaded))

  return { load, loadAt, handle, snapshot }
}
