/**
 * The SQL storage engine shared by the SQL stores: one engine, one checkpoint store and one snapshot store over any
 * `@effect/sql` client, with each database's differences in its `SqlDialect`. For store authors: applications use a
 * store package (`@chronicle/store-sqlite`, ...).
 *
 * @since 0.1.0
 */
export * as EventRows from "./EventRows.js"
export * as SqlCheckpointStore from "./SqlCheckpointStore.js"
export * as SqlDialect from "./SqlDialect.js"
export * as SqlEngine from "./SqlEngine.js"
export * as SqlFault from "./SqlFault.js"
export * as SqlIdentifier from "./SqlIdentifier.js"
export * as SqlMigrations from "./SqlMigrations.js"
export * as SqlSchema from "./SqlSchema.js"
export * as SqlSnapshotStore from "./SqlSnapshotStore.js"
export * as SqlTransaction from "./SqlTransaction.js"
