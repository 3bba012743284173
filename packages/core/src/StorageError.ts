/**
 * The one name of a storage fault, whichever store met it: the event store, a snapshot store or a checkpoint store.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A fault of the storage itself (I/O, a locked database, a broken connection, a server that is down), with its
 * cause. `operation` names the store and what it was doing, such as `EventStore.append` or `SnapshotStore.save`.
 *
 * @since 0.1.0
 * @category errors
 */
export class StorageError extends Schema.TaggedError<StorageError>("@chronicle/core/StorageError")("StorageError", {
  operation: Schema.String,
  cause: Schema.Defect
}) {
  override get message(): string {
    const cause = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return `Storage failure in ${this.operation}: ${cause}`
  }
}

/**
 * Wraps a cause as the `StorageError` of an operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const of =
  (operation: string) =>
  (cause: unknown): StorageError =>
    new StorageError({ operation, cause })
