/**
 * Snapshots: a stream's state at a version, so loading a long stream reads only the events after it. A snapshot is a
 * cache: it records the state schema that wrote it, and one written by another schema is ignored, never misread.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { StorageError } from "./StorageError.js"

/**
 * A stored snapshot: the encoded state (JSON) of `streamId` after the event at `version`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly streamId: string
  readonly version: number
  /** Which state schema wrote it (a version or a hash of the schema). */
  readonly schemaVersion: string
  readonly state: unknown
}

/**
 * The snapshot store. It keeps the latest snapshot of each stream; saving an older one than stored changes nothing;
 * `delete` removes a stream's snapshot (the command handler drops one that claims a version its stream has not
 * reached, as after restoring an older backup of the events beside newer snapshots).
 *
 * @since 0.1.0
 * @category tags
 */
export class SnapshotStore extends Context.Tag("@chronicle/core/SnapshotStore")<
  SnapshotStore,
  {
    readonly load: (streamId: string) => Effect.Effect<Option.Option<Snapshot>, StorageError>
    readonly save: (snapshot: Snapshot) => Effect.Effect<void, StorageError>
    readonly delete: (streamId: string) => Effect.Effect<void, StorageError>
  }
>() {}

/**
 * When to take a snapshot, given the stream's version before and after an append.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = (versions: { readonly before: number; readonly after: number }) => boolean

/**
 * A snapshot each time the stream crosses a multiple of `n` events (an append of several events that crosses one or
 * more multiples takes one); never for an `n` that is not positive.
 *
 * @since 0.1.0
 * @category policies
 */
export const every =
  (n: number): Policy =>
  ({ after, before }) =>
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the guard only says it; without it an `n` of 0
    // compares Infinity or NaN, and a negative one a quotient that falls as versions grow: never true either.
    n > 0 && Math.floor(after / n) > Math.floor(before / n)
