/**
 * The SQLite event store: the embedded default. One file (or `:memory:`), WAL for file databases, safe for several
 * processes appending to the same file at once.
 *
 * - `layer(config)` opens the database and provides `EventStore`; `layerWithClient(config)` also provides the
 *   `SqlClient` (and `SqliteClient`) it opened, for projections or queries that share the connection.
 * - `layerFromClient(options)`, `make(options)` and `makeEngine(options)` reuse a `SqlClient` the caller already has.
 *
 * @since 0.1.0
 */
import { EventStore, EventStoreError, type StorageEngine } from "@chronicle/core"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { type ConfigError, Duration, Effect, Either, Layer } from "effect"
import * as Connection from "./internal/connection.js"
import * as Schema from "./SqliteEventStoreSchema.js"
import * as SqliteStorageEngine from "./SqliteStorageEngine.js"

/**
 * A configured table name is not a plain SQL identifier.
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidIdentifier = Schema.InvalidIdentifier

/**
 * A configured table name is not a plain SQL identifier.
 *
 * @since 0.1.0
 * @category errors
 */
export type InvalidIdentifier = Schema.InvalidIdentifier

/**
 * Options of a store over a client.
 *
 * - `tables.events`: the events table (default `chronicle_events`);
 * - `migrationsTable`: where the store's migrations are recorded (default `chronicle_migrations`);
 * - `pollInterval`: how often live subscriptions look for appends made by other processes (default 100 ms); appends
 *   made through the same store wake them at once;
 * - `busyTimeout`: SQLite's `busy_timeout`, how long a statement waits for another connection's lock before the store
 *   backs off and retries (default: the client's own, 5 s for a better-sqlite3 connection).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly tables?: { readonly events?: string } | undefined
  readonly migrationsTable?: string | undefined
  readonly pollInterval?: Duration.DurationInput | undefined
  readonly busyTimeout?: Duration.DurationInput | undefined
}

/**
 * Configuration of a store that opens its own database: a file path, or `":memory:"` for a private in-memory one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config extends Options {
  readonly filename: string
}

/**
 * The default interval at which live subscriptions poll for appends by other processes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPollInterval: Duration.Duration = Duration.millis(100)

/**
 * How often a busy or locked database is retried (with jittered backoff) after SQLite's own wait gave up.
 *
 * @since 0.1.0
 * @category constants
 */
export const busyRetries = 10

/**
 * Errors of building a store: a bad table name, or the schema could not be created.
 *
 * @since 0.1.0
 * @category models
 */
export type MakeError = InvalidIdentifier | EventStoreError.EventStoreError

/**
 * Builds the storage engine over the `SqlClient` in context: validates the table names, applies `busyTimeout`, and
 * runs the store's migrations in one `BEGIN IMMEDIATE` transaction, so processes starting together do not race.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEngine = (
  options: Options = {}
): Effect.Effect<StorageEngine.StorageEngine, MakeError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const tables = Schema.tableNames(options)
    if (Either.isLeft(tables)) return yield* tables.left
    const client = yield* SqlClient.SqlClient
    const statements = Schema.statements(tables.right)
    const runner = Connection.makeRunner(client, statements, Connection.busyRetry(busyRetries))
    const failure = (method: string) => (cause: unknown) => new EventStoreError.EventStoreError({ method, cause })
    if (options.busyTimeout !== undefined) {
      const millis = Math.max(0, Math.round(Duration.toMillis(Duration.decode(options.busyTimeout))))
      yield* runner
        .withConnection((conn) => conn.executeUnprepared(`PRAGMA busy_timeout = ${millis}`, [], undefined))
        .pipe(Effect.mapError(failure("busyTimeout")))
    }
    yield* runner
      .transaction((conn) =>
        Schema.migrate(tables.right).pipe(
          Effect.provideService(SqlClient.SqlClient, client),
          Effect.provideService(SqlClient.TransactionConnection, [conn, 0] as const)
        )
      )
      .pipe(Effect.mapError(failure("migrate")))
    return SqliteStorageEngine.make({
      runner,
      statements,
      pollInterval: options.pollInterval ?? defaultPollInterval
    })
  })

/**
 * Builds the `EventStore` service over the `SqlClient` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<EventStore.EventStore["Type"], MakeError, SqlClient.SqlClient> =>
  Effect.map(makeEngine(options), EventStore.make)

/**
 * A Layer providing `EventStore` over a `SqlClient` the application already provides (for example a `SqliteClient`
 * shared with its own tables). The client's journal mode and other settings are left as they are.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (
  options: Options = {}
): Layer.Layer<EventStore.EventStore, MakeError, SqlClient.SqlClient> =>
  Layer.effect(EventStore.EventStore, make(options))

const clientLayer = (config: Config) => SqliteClient.layer({ filename: config.filename })

/**
 * A Layer that opens the database (WAL on for files) and provides `EventStore` together with the `SqlClient` and
 * `SqliteClient` it opened, so other code can share the connection.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithClient = (
  config: Config
): Layer.Layer<
  EventStore.EventStore | SqlClient.SqlClient | SqliteClient.SqliteClient,
  MakeError | ConfigError.ConfigError
> => Layer.provideMerge(layerFromClient(config), clientLayer(config))

/**
 * A Layer that opens the database (WAL on for files) and provides `EventStore` only; the connection closes with the
 * Layer's scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: Config): Layer.Layer<EventStore.EventStore, MakeError | ConfigError.ConfigError> =>
  Layer.provide(layerFromClient(config), clientLayer(config))
