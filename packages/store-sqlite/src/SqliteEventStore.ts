/**
 * The SQLite event store: the embedded default. One file (or `:memory:`), WAL for file databases, safe for several
 * processes appending to the same file at once.
 *
 * - `layer(config)` opens the database and provides `EventStore`; `layerWithClient(config)` also provides a
 *   `SqlClient` (and `SqliteClient`) over the same connection, for projections or queries that share it. These run
 *   the store's own engine, the fast one;
 * - `layerFromClient(options)` and `make(options)` use a `SqlClient` the application already has (any `@effect/sql`
 *   SQLite client, synchronous or not), through the shared SQL engine of `@chronicle/sql`.
 *
 * How it works:
 * - every append runs in a `BEGIN IMMEDIATE` transaction (take the write lock first, so two processes never deadlock
 *   upgrading a read to a write): the idempotency lookup (only for caller-chosen ids), the current version, the
 *   append rule, the inserts. On a database the store opened itself this runs as synchronous better-sqlite3 calls on
 *   statements prepared once, so no other statement of the process can come in between; over an application's client
 *   each statement is an Effect on the connection the client reserves for the transaction;
 * - group commit (on a database the store opened): appends that wait for the writer at the same time share one
 *   transaction, each in its own savepoint (none for a one-event append, whose single INSERT SQLite undoes by itself
 *   if it fails). When appenders may be concurrent (the last group had several appends, or the append comes from
 *   another fiber than the last one), the first append yields once to the fiber scheduler, lets the runnable fibers
 *   queue theirs, then commits them all; a fiber appending alone runs at once. No timer. An append that fails its
 *   expected version, repeats stored ids or fails a statement rolls back alone; each append sees the ones before it
 *   in the group; every appender is answered only after the `COMMIT`, and if the commit fails, all of them get the
 *   error. What a group saves is the per-transaction cost (the commit's `fsync` under `synchronous = FULL`, locking,
 *   WAL bookkeeping), not the pages written: single-event appends to distinct streams still dirty one index leaf per
 *   stream in each unique index. Under `NORMAL` they gain far less than the group size; under `FULL` grouping shares
 *   the `fsync`;
 * - an append inside the application's transaction (`sql.withTransaction` on the store's or the application's
 *   client) joins that transaction instead, in a savepoint, and is not grouped;
 * - `SQLITE_BUSY` / `SQLITE_LOCKED` are waited out by SQLite's `busy_timeout`, then retried 10 more times with
 *   jittered backoff (2 ms to 100 ms), a group as a whole with every append checked again; only then do they
 *   surface, as `StorageError`;
 * - live subscriptions wake at once on appends through the same store (after the commit), and poll the head
 *   position every `pollInterval` for appends by other processes;
 * - positions are SQLite row ids: the events table must only ever be appended to;
 * - the tables are created and upgraded by versioned migrations, recorded in `migrationsTable`.
 *
 * @since 0.1.0
 */
import { EventStore, StorageError, StoreAdmin } from "@chronicle/core"
import { AdminEngine, StorageEngine } from "@chronicle/core/engine"
import { type SqlDialect, SqlEngine, SqlFault, SqlIdentifier } from "@chronicle/sql"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Context, Duration, Effect, Layer } from "effect"
import * as Database from "./internal/database.js"
import { dialect } from "./internal/dialect.js"
import * as Engine from "./internal/engine.js"

/**
 * A configured table name is not a plain SQL identifier. Names are spliced into SQL text, so only
 * `[A-Za-z_][A-Za-z0-9_]*` (at most 64 characters, not starting with `sqlite_`) is accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidIdentifier = SqlIdentifier.InvalidIdentifier

/**
 * A configured table name is not a plain SQL identifier.
 *
 * @since 0.1.0
 * @category errors
 */
export type InvalidIdentifier = SqlIdentifier.InvalidIdentifier

/**
 * Options of a store.
 *
 * - `tables.events`: the events table (default `chronicle_events`);
 * - `migrationsTable`: where the store's migrations are recorded (default `chronicle_migrations`, or
 *   `<events>_migrations` when `tables.events` names another table);
 * - `pollInterval`: how often live subscriptions look for appends made by other processes (default 100 ms); appends
 *   made through the same store wake them at once;
 * - `busyTimeout`: SQLite's `busy_timeout`, how long a statement waits for another connection's lock before the store
 *   backs off and retries, up to 10 more times (default 5 s when the store opens the database; the client's own
 *   setting when it is given one).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SqlEngine.TableOptions {
  readonly pollInterval?: Duration.DurationInput | undefined
  readonly busyTimeout?: Duration.DurationInput | undefined
}

/**
 * The default table names: `chronicle_events` and `chronicle_migrations` (not `effect_sql_migrations`, so the store's
 * migrations never collide with an application's own in a shared database).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTables: SqlDialect.EventTables = SqlEngine.defaultTables

/**
 * SQLite's `synchronous` levels: how often a commit waits for the disk (`fsync`).
 *
 * In WAL mode: `OFF` never syncs (an operating-system crash or power loss can corrupt the database); `NORMAL` syncs
 * the WAL at checkpoints only, so a power loss or OS crash can lose the last transactions that were acknowledged, but
 * never corrupts the database (a crash of the process alone loses nothing); `FULL` also syncs the WAL at every
 * commit, so a committed append survives a power loss; `EXTRA` adds a directory sync. See
 * https://www.sqlite.org/pragma.html#pragma_synchronous.
 *
 * @since 0.1.0
 * @category models
 */
export type Synchronous = "OFF" | "NORMAL" | "FULL" | "EXTRA"

/**
 * The default `synchronous` level, `NORMAL`: with WAL, durable against crashes of the process, and against power loss
 * up to the last checkpoint (the last few transactions can be lost, the database is never corrupted). Use `FULL` when
 * every acknowledged append must survive a power loss; it costs an `fsync` per commit (group commit shares one among
 * concurrent appends).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSynchronous: Synchronous = "NORMAL"

const synchronousLevels: ReadonlyArray<Synchronous> = ["OFF", "NORMAL", "FULL", "EXTRA"]

/**
 * Configuration of a store that opens its own database: a file path, or `":memory:"` for a private in-memory one.
 *
 * - `synchronous`: SQLite's `synchronous` level, set on the connection when it opens (default `NORMAL`, see
 *   `Synchronous` and `defaultSynchronous`). Left to itself, SQLite would run a newly created WAL database `FULL`
 *   until its first write and a reopened one `NORMAL`; the store sets it either way.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config extends Options {
  readonly filename: string
  readonly synchronous?: Synchronous | undefined
}

/**
 * The default interval at which live subscriptions poll for appends by other processes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPollInterval: Duration.Duration = SqlEngine.defaultPollInterval

/**
 * The default `busy_timeout` of a database the store opens itself.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBusyTimeout: Duration.Duration = Duration.seconds(5)

/**
 * Errors of building a store: a bad table name, or the database could not be opened or migrated.
 *
 * @since 0.1.0
 * @category models
 */
export type MakeError = InvalidIdentifier | StorageError.StorageError

const millis = (duration: Duration.DurationInput) =>
  Math.max(0, Math.round(Duration.toMillis(Duration.decode(duration))))

/**
 * Builds the `EventStore` service over the `SqlClient` in context (any `@effect/sql` SQLite client): validates the
 * table names, applies `busyTimeout` when given, runs the store's migrations in one `BEGIN IMMEDIATE` transaction (so
 * processes starting together do not race), and runs the shared SQL engine: each append in a `BEGIN IMMEDIATE`
 * transaction on the connection the client reserves, or in the application's transaction when it runs inside one.
 * `layer` is faster: it runs appends as synchronous better-sqlite3 calls and commits concurrent ones together.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<EventStore.EventStore["Type"], MakeError, SqlClient.SqlClient> =>
  Effect.map(makeEngine(options), StorageEngine.toEventStore)

const makeEngine = (options: Options) =>
  Effect.gen(function* () {
    const tables = yield* SqlEngine.tables(dialect, options)
    const client = yield* SqlClient.SqlClient
    if (options.busyTimeout !== undefined) {
      yield* client
        .unsafe(`PRAGMA busy_timeout = ${millis(options.busyTimeout)}`)
        .pipe(Effect.catchTag("SqlError", SqlFault.fail("EventStore.busyTimeout")))
    }
    return yield* SqlEngine.make({
      dialect,
      tables,
      pollInterval: options.pollInterval ?? defaultPollInterval
    })
  })

/**
 * A Layer providing `EventStore` and its `StoreAdmin` over a `SqlClient` the application already provides (for
 * example a `SqliteClient` shared with its own tables). The client's journal mode and other settings are left as they
 * are.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (
  options: Options = {}
): Layer.Layer<EventStore.EventStore | StoreAdmin.StoreAdmin, MakeError, SqlClient.SqlClient> =>
  Layer.effectContext(
    Effect.map(makeEngine(options), (engine) =>
      Context.make(EventStore.EventStore, StorageEngine.toEventStore(engine)).pipe(
        Context.add(StoreAdmin.StoreAdmin, AdminEngine.toStoreAdmin(engine))
      )
    )
  )

/**
 * A Layer that opens the database (WAL journal, `synchronous` default `NORMAL`, `busyTimeout` default 5 s, group
 * commit of concurrent appends) and provides `EventStore` and its `StoreAdmin` together with a `SqlClient` (also as
 * `SqliteClient`) over the same connection, for projections or queries that share it. That client's transactions
 * begin with `BEGIN IMMEDIATE`; an `append` inside one joins it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithClient = (
  config: Config
): Layer.Layer<
  EventStore.EventStore | StoreAdmin.StoreAdmin | SqlClient.SqlClient | SqliteClient.SqliteClient,
  MakeError
> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const tables = yield* SqlEngine.tables(dialect, config)
      const synchronous = config.synchronous ?? defaultSynchronous
      if (!synchronousLevels.includes(synchronous)) {
        return yield* new StorageError.StorageError({
          operation: "EventStore.open",
          cause: new Error(`synchronous must be one of ${synchronousLevels.join(", ")} (got ${String(synchronous)})`)
        })
      }
      const database = yield* Database.open({
        filename: config.filename,
        busyTimeoutMillis: millis(config.busyTimeout ?? defaultBusyTimeout),
        synchronous
      }).pipe(Effect.catchTag("SqlError", SqlFault.fail("EventStore.open")))
      yield* SqlEngine.migrate(dialect, tables).pipe(Effect.provideService(SqlClient.SqlClient, database.client))
      const engine = Engine.make({
        access: database.access,
        tables,
        pollInterval: config.pollInterval ?? defaultPollInterval
      })
      return Context.make(EventStore.EventStore, StorageEngine.toEventStore(engine)).pipe(
        Context.add(StoreAdmin.StoreAdmin, AdminEngine.toStoreAdmin(engine)),
        Context.add(SqlClient.SqlClient, database.client),
        Context.add(SqliteClient.SqliteClient, database.client)
      )
    })
  )

/**
 * A Layer that opens the database (WAL journal, `synchronous` default `NORMAL`, `busyTimeout` default 5 s, group
 * commit of concurrent appends) and provides `EventStore` and its `StoreAdmin`; the database closes with the Layer's
 * scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: Config): Layer.Layer<EventStore.EventStore | StoreAdmin.StoreAdmin, MakeError> =>
  Layer.map(layerWithClient(config), (context) =>
    Context.make(EventStore.EventStore, Context.get(context, EventStore.EventStore)).pipe(
      Context.add(StoreAdmin.StoreAdmin, Context.get(context, StoreAdmin.StoreAdmin))
    )
  )
