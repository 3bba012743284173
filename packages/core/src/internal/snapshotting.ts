/**
 * The command handler's snapshots: which snapshot is usable, when to take one, and how a snapshot that its stream
 * has not reached is dropped. A snapshot is only a cache: anything wrong with one costs a replay, never a wrong state.
 *
 * @internal
 */
import { Effect, Either, Option, Schema } from "effect"
import * as SnapshotStore from "../SnapshotStore.js"

/** A state and the version it was folded up to. */
export interface Versioned<S> {
  readonly state: S
  readonly version: number
}

/** What the handler was given: the state's schema, the policy, and the schema version snapshots carry. */
export interface Settings<S> {
  // biome-ignore lint/suspicious/noExplicitAny: any encoded form will do; only the schema reads it
  readonly schema: Schema.Schema<S, any>
  readonly policy?: SnapshotStore.Policy
  readonly schemaVersion?: string
}

/** The snapshot side of a handler. */
export interface Snapshotting<S> {
  readonly policy: SnapshotStore.Policy
  /** The latest snapshot written by this schema version that decodes; none otherwise. */
  readonly latest: (streamId: string) => Effect.Effect<Option.Option<Versioned<S>>, never, SnapshotStore.SnapshotStore>
  /** Stores a snapshot; a failure is logged, never raised (the command's events are committed already). */
  readonly save: (streamId: string, loaded: Versioned<S>) => Effect.Effect<void, never, SnapshotStore.SnapshotStore>
  /** Deletes a snapshot its stream has not reached (events restored from an older backup), logging it. */
  readonly drop: (streamId: string, snapshot: Versioned<S>) => Effect.Effect<void, never, SnapshotStore.SnapshotStore>
}

/** FNV-1a over the schema's AST: the default schema version, so a change of the state's shape retires old snapshots. */
export const schemaVersionOf = (schema: Schema.Schema.Any): string => {
  // The AST's own JSON: bigint literals as their digits; refinements without their predicates (a snapshot is decoded
  // through the schema, so a stricter predicate refuses what it no longer accepts).
  const text = JSON.stringify(schema.ast)
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `fnv1a:${hash.toString(16).padStart(8, "0")}`
}

/** The snapshot side of a handler with these settings. */
export const make = <S>(settings: Settings<S>): Snapshotting<S> => {
  const policy = settings.policy ?? SnapshotStore.every(100)
  const schemaVersion = settings.schemaVersion ?? schemaVersionOf(settings.schema)
  const decode = Schema.decodeUnknownEither(settings.schema)
  const encode = Schema.encodeEither(settings.schema)

  const latest = (streamId: string) =>
    Effect.flatMap(SnapshotStore.SnapshotStore, (store) => store.load(streamId)).pipe(
      Effect.map((found) => {
        if (Option.isNone(found) || found.value.schemaVersion !== schemaVersion) return Option.none<Versioned<S>>()
        const state = decode(found.value.state)
        return Either.isRight(state) ? Option.some({ state: state.right, version: found.value.version }) : Option.none()
      }),
      Effect.catchAll((error) =>
        Effect.as(Effect.logWarning(`Snapshot of ${streamId} not loaded`, error), Option.none<Versioned<S>>())
      )
    )

  const save = (streamId: string, loaded: Versioned<S>) =>
    Effect.suspend((): Effect.Effect<void, unknown, SnapshotStore.SnapshotStore> => {
      const encoded = encode(loaded.state)
      if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
      return Effect.flatMap(SnapshotStore.SnapshotStore, (store) =>
        store.save({ streamId, version: loaded.version, schemaVersion, state: encoded.right })
      )
    }).pipe(
      Effect.catchAll((error) => Effect.logWarning(`Snapshot of ${streamId} at ${loaded.version} not saved`, error))
    )

  const drop = (streamId: string, snapshot: Versioned<S>) =>
    Effect.logWarning(`Snapshot of ${streamId} at version ${snapshot.version} is ahead of its stream: deleted`).pipe(
      Effect.zipRight(Effect.flatMap(SnapshotStore.SnapshotStore, (store) => store.delete(streamId))),
      Effect.catchAll((error) => Effect.logWarning(`Snapshot of ${streamId} ahead of its stream not deleted`, error))
    )

  return { policy, latest, save, drop }
}
