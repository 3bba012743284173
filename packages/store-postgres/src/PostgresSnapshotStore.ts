/**
 * The PostgreSQL snapshot store: the latest snapshot of each stream, its state as JSON text, on the `SqlClient` in
 * context. The table and its migrations (`<table>_migrations`) are created when the store is built.
 *
 * @since 0.1.0
 */
import { SnapshotStore, type StorageError } from "@chronicle/core"
import { type SqlIdentifier, SqlSnapshotStore } from "@chronicle/sql"
import type * as SqlClient from "@effect/sql/SqlClient"
import { type Effect, Layer } from "effect"
import { dialect } from "./internal/dialect.js"

/**
 * Options: `table`, the table name (default `chronicle_snapshots`), and `migrationsTable`, where its migrations are
 * recorded (default: the table's name followed by `_migrations`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = SqlSnapshotStore.Options

/**
 * The default table name, `chronicle_snapshots`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTable: string = SqlSnapshotStore.defaultTable

/**
 * Builds the store over the `SqlClient` in context, migrating its table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  SnapshotStore.SnapshotStore["Type"],
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> => SqlSnapshotStore.make(dialect, options)

/**
 * A Layer providing `SnapshotStore` over the `SqlClient` in context (for example from
 * `PostgresEventStore.layerWithClient`, or the application's `PgClient`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  SnapshotStore.SnapshotStore,
  SqlIdentifier.InvalidIdentifier | StorageError.StorageError,
  SqlClient.SqlClient
> => Layer.effect(SnapshotStore.SnapshotStore, make(options))
