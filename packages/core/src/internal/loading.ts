/**
 * How a command handler gets a stream's state: its state cache first (then only the events after the cached version
 * are read), then the latest usable snapshot plus the events after it, else the whole stream folded from the initial
 * state. `CommandHandler` decides and appends around it.
 *
 * @internal
 */
import { type Clock, Duration, Effect, Either, Option } from "effect"
import type * as Decider from "../Decider.js"
import type { EventCodec } from "../EventCodec.js"
import * as EventStore from "../EventStore.js"
import type { EventDecodeError } from "../EventStoreError.js"
import type { RecordedEvent } from "../RecordedEvent.js"
import type * as SnapshotStore from "../SnapshotStore.js"
import type { InvalidStreamId } from "../StreamId.js"
import type * as Snapshotting from "./snapshotting.js"
import * as StateCache from "./stateCache.js"

type Versioned<S> = Snapshotting.Versioned<S>

/** Errors of loading a stream. */
export type LoadError = EventStore.ReadError | InvalidStreamId

/** The state cache's settings as a handler is given them: `false` turns it off. */
export type CacheOptions = { readonly capacity?: number; readonly timeToLive?: Duration.DurationInput } | false

/** What the loading needs of a handler's options. */
export interface Settings<C, E extends { readonly _tag: string }, S, Err> {
  readonly decider: Decider.Decider<C, E, S, Err>
  readonly codec: EventCodec<E>
  readonly snapshots: Snapshotting.Snapshotting<S> | undefined
  readonly cache: CacheOptions | undefined
  readonly defaultCapacity: number
}

type R = EventStore.EventStore | SnapshotStore.SnapshotStore

/** The loading side of a handler. */
export interface Loading<S> {
  readonly initial: Versioned<S>
  /** A page of recorded events folded onto a state: the step of `EventStore.foldStream`. */
  readonly foldPage: (
    loaded: Versioned<S>,
    page: ReadonlyArray<RecordedEvent>
  ) => Either.Either<Versioned<S>, EventDecodeError>
  /** The stream's events after `start`, folded onto it. */
  readonly foldAfter: (
    streamId: string,
    start: Versioned<S>
  ) => Effect.Effect<Versioned<S>, LoadError, EventStore.EventStore>
  /** Cache first (then only the events after the cached version), then snapshot, then replay. */
  readonly load: (streamId: string) => Effect.Effect<Versioned<S>, LoadError, R>
  /** Forgets a stream's cached state and loads it afresh (its store went back: restored from an older backup). */
  readonly reload: (streamId: string) => Effect.Effect<Versioned<S>, LoadError, R>
  /** The cache's time: the clock's when the cache has a time to live, else 0 (the clock is not read). */
  readonly timeOf: (clock: Clock.Clock) => number
  /** The cached state of a stream of `store` (none without the cache). */
  readonly lookup: (store: object, streamId: string, time: number) => Versioned<S> | undefined
  /** Remembers a stream's state for the next command (a no-op without the cache). */
  readonly remember: (store: object, streamId: string, loaded: Versioned<S>, time: number) => void
}

/** Builds the loading of a handler. */
export const make = <C, E extends { readonly _tag: string }, S, Err>(settings: Settings<C, E, S, Err>): Loading<S> => {
  const { codec, decider, snapshots } = settings
  const options = settings.cache
  const cache =
    options === false
      ? undefined
      : StateCache.make<S>({
          capacity: Math.max(1, options?.capacity ?? settings.defaultCapacity),
          timeToLiveMillis: options?.timeToLive === undefined ? undefined : Duration.toMillis(options.timeToLive)
        })
  const initial: Versioned<S> = { state: decider.initialState, version: 0 }

  const foldPage = (
    loaded: Versioned<S>,
    page: ReadonlyArray<RecordedEvent>
  ): Either.Either<Versioned<S>, EventDecodeError> => {
    let state = loaded.state
    for (const event of page) {
      const decoded = codec.decodeData(event)
      if (Either.isLeft(decoded)) return Either.left(decoded.left)
      state = decider.evolve(state, decoded.right)
    }
    return Either.right({ state, version: page.length === 0 ? loaded.version : page[page.length - 1]!.version })
  }

  const foldAfter = (streamId: string, start: Versioned<S>) =>
    EventStore.foldStream(streamId, start, foldPage, { from: start.version + 1 })

  /**
   * The events after a snapshot folded onto it; a snapshot its stream has not reached is dropped and the stream
   * replayed. Reading an event after the snapshot proves the stream reached it (versions have no gaps); only when none
   * follows does it cost one more query, for the stream's version.
   */
  const foldAfterSnapshot = (streamId: string, snapshot: Versioned<S>, snapshotting: Snapshotting.Snapshotting<S>) =>
    Effect.flatMap(foldAfter(streamId, snapshot), (loaded) =>
      loaded.version > snapshot.version
        ? Effect.succeed(loaded)
        : Effect.flatMap(EventStore.streamVersion(streamId), (version) =>
            version >= snapshot.version
              ? Effect.succeed(loaded)
              : Effect.zipRight(snapshotting.drop(streamId, snapshot), foldAfter(streamId, initial))
          )
    )

  /** The stream loaded without the cache: from the latest usable snapshot, if any, else from the start. */
  const loadUncached = (streamId: string): Effect.Effect<Versioned<S>, LoadError, R> =>
    snapshots === undefined
      ? foldAfter(streamId, initial)
      : Effect.flatMap(snapshots.latest(streamId), (snapshot) =>
          Option.isNone(snapshot)
            ? foldAfter(streamId, initial)
            : foldAfterSnapshot(streamId, snapshot.value, snapshots)
        )

  // Stryker disable next-line ConditionalExpression: only saves reading the clock; an entry without a time to live
  // never expires, whatever time it was stored at.
  const timed = options !== false && options?.timeToLive !== undefined
  const timeOf = (clock: Clock.Clock) => (timed ? clock.unsafeCurrentTimeMillis() : 0)

  const lookup = (store: object, streamId: string, time: number) => cache?.get(store, streamId, time)

  const remember = (store: object, streamId: string, loaded: Versioned<S>, time: number) =>
    cache?.set(store, streamId, loaded, time)

  const load = (streamId: string): Effect.Effect<Versioned<S>, LoadError, R> =>
    cache === undefined
      ? loadUncached(streamId)
      : Effect.flatMap(EventStore.EventStore, (store) =>
          Effect.clockWith((clock) => {
            const time = timeOf(clock)
            const entry = cache.get(store, streamId, time)
            const loading = entry === undefined ? loadUncached(streamId) : foldAfter(streamId, entry)
            return Effect.tap(loading, (loaded) => cache.set(store, streamId, loaded, time))
          })
        )

  const reload = (streamId: string) =>
    cache === undefined
      ? loadUncached(streamId)
      : Effect.flatMap(EventStore.EventStore, (store) =>
          Effect.zipRight(
            Effect.sync(() => cache.delete(store, streamId)),
            load(streamId)
          )
        )

  return { initial, foldPage, foldAfter, load, reload, timeOf, lookup, remember }
}
