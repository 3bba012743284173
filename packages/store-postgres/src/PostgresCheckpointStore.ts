/**
 * The PostgreSQL checkpoint store: one row per projection, its position as text (`"7781:42"`). `commit` runs the
 * read-model update and the checkpoint in one transaction on the `SqlClient` in context (or in the application's
 * transaction, when it runs inside one): the checkpoint's row is locked (`SELECT ... FOR UPDATE`) from the check to
 * the commit, so a read model kept in the same database changes together with its checkpoint, and of two runners
 * committing from the same position only one updates its read model.
 *
 * The table and its migrations (`<table>_migrations`) are created when the store is built.
 *
 * @since 0.1.0
 */
import { CheckpointStore, type StorageError } from "@chronicle/core"
import { SqlCheckpointStore, type SqlIdentifier } from "@chronicle/sql"
import type * as SqlClient from "@effect/sql/SqlClient"
import { type Effect, Layer } from "effect"
import { dialect } from "./internal/dialect.js"

/**
 * Options: `table`, the table name (default `chronicle_checkpoints`), and `migrationsTable`, where its migrations are
 * recorded (default: the table's name followed by `_migrations`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = SqlCheckpointStore.Options

/**
 * The default table name, `chronicle_checkpoints`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTable: string = SqlCheckpointStore.defaultTable

/**
 * Builds the store over the `SqlClient` in context, migrating its table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  CheckpointStore.CheckpointStore["Type"],
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> => SqlCheckpointStore.make(dialect, options)

/**
 * A Layer providing `CheckpointStore` over the `SqlClient` in context (for example from
 * `PostgresEventStore.layerWithClient`, or the application's `PgClient`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  CheckpointStore.CheckpointStore,
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> => Layer.effect(CheckpointStore.CheckpointStore, make(options))
