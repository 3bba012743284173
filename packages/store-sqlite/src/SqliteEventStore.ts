/**
 * The SQLite event store: the embedded default. One file (or `:memory:`), WAL for file databases, safe for several
 * processes appending to the same file at once.
 *
 * - `layer(config)` opens the database and provides `EventStore`; `layerWithClient(config)` also provides a
 *   `SqlClient` (and `SqliteClient`) over the same connection, for projections or queries that share it.
 * - `layerFromClient(options)`, `make(options)` and `makeEngine(options)` use a `SqlClient` the caller already has.
 *
 * How it works:
 * - every append runs in a `BEGIN IMMEDIATE` transaction (take the write lock first, so two processes never deadlock
 *   upgrading a read to a write): the idempotency lookup (only for caller-chosen ids), the current version, the
 *   inserts. On a database the store opened itself this runs as synchronous better-sqlite3 calls on statements
 *   prepared once, so no other statement of the process can come in between;
 * - group commit (on a database the store opened): appends that wait for the writer at the same time share one
 *   transaction, each in its own savepoint (none for a one-event append, whose single INSERT SQLite undoes by itself
 *   if it fails). When appenders may be concurrent (the last group had several appends, or the append comes from
 *   another fiber than the last one), the first append yields once to the fiber scheduler, lets the runnable fibers
 *   queue theirs, then commits them all; a fiber appending alone runs at once. No timer. An append that fails its
 *   expected version, repeats stored ids or fails a statement rolls back alone; each append sees the ones before it
 *   in the group; every appender is answered only after the `COMMIT`, and if the commit fails, all of them get the
 *   error. An append inside the application's transaction (`layerWithClient` + `sql.withTransaction`) joins that
 *   transaction instead, in a savepoint, and is not grouped. What a group saves is the per-transaction cost (the
 *   commit's `fsync` under `synchronous = FULL`, locking, WAL bookkeeping), not the pages written: single-event
 *   appends to distinct streams still dirty one index leaf per stream in each unique index (about 2.6 WAL pages per
 *   append in a group of 100, against 3.6 alone). Under `NORMAL` they gain far less than the group size (bare
 *   better-sqlite3 gains 1.7 times at 100 streams of 1,000 events); under `FULL` grouping shares the `fsync`;
 * - `SQLITE_BUSY` / `SQLITE_LOCKED` are waited out by SQLite's `busy_timeout`, then retried 10 more times with
 *   jittered backoff (2 ms to 100 ms), a group as a whole with every append checked again; only then do they
 *   surface, as `EventStoreError`;
 * - reads select rows as arrays (cheaper than objects) and build each envelope once;
 * - live subscriptions wake at once on appends through the same store (after the commit), and poll the head
 *   position every `pollInterval` for appends by other processes;
 * - positions are SQLite row ids: the events table must only ever be appended to.
 *
 * @since 0.1.0
 */
import { EventStore, StorageError } from "@chronicle/core"
import { StorageEngine } from "@chronicle/core/engine"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { Context, Duration, Effect, Either, Layer } from "effect"
import * as Access from "./internal/access.js"
import * as Database from "./internal/database.js"
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
 *   backs off and retries, up to 10 more times (default 5 s when the store opens the database; the client's own
 *   setting when it is given one).
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
export const defaultPollInterval: Duration.Duration = Duration.millis(100)

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

const failure = (method: string) => (cause: unknown) =>
  new StorageError.StorageError({
    operation: `EventStore.${method}`,
    cause: (cause as { readonly cause?: unknown })?.cause ?? cause
  })

const millis = (duration: Duration.DurationInput) =>
  Math.max(0, Math.round(Duration.toMillis(Duration.decode(duration))))

const validTables = (options: Options) => Either.mapLeft(Schema.tableNames(options), (error) => error)

const build = (client: SqlClient.SqlClient, access: Access.Access, tables: Schema.TableNames, options: Options) =>
  Schema.migrate(tables).pipe(
    Effect.provideService(SqlClient.SqlClient, client),
    Effect.mapError(failure("migrate")),
    Effect.as(
      SqliteStorageEngine.make({
        access,
        statements: Schema.statements(tables),
        pollInterval: options.pollInterval ?? defaultPollInterval
      })
    )
  )

/**
 * Builds the storage engine over the `SqlClient` in context (any `@effect/sql` SQLite client): validates the table
 * names, applies `busyTimeout` when given, and runs the store's migrations in one `BEGIN IMMEDIATE` transaction, so
 * processes starting together do not race. Appends run in `BEGIN IMMEDIATE` transactions on the client's reserved
 * connection, one per append; `layer` is faster, as it runs appends as synchronous better-sqlite3 calls and commits
 * concurrent ones together.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEngine = (
  options: Options = {}
): Effect.Effect<StorageEngine.StorageEngine, MakeError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const tables = yield* validTables(options)
    const client = yield* SqlClient.SqlClient
    const access = Access.fromClient(client)
    if (options.busyTimeout !== undefined) {
      const pragma = `PRAGMA busy_timeout = ${millis(options.busyTimeout)}`
      yield* access.read((db) => Either.right(db.all(pragma, []))).pipe(Effect.mapError(failure("busyTimeout")))
    }
    return yield* build(client, access, tables, options)
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
  Effect.map(makeEngine(options), StorageEngine.toEventStore)

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

/**
 * A Layer that opens the database (WAL journal, `synchronous` default `NORMAL`, `busyTimeout` default 5 s, group
 * commit of concurrent appends) and provides `EventStore` together with
 * a `SqlClient` (also as `SqliteClient`) over the same connection, for projections or queries that share it. That
 * client's transactions begin with `BEGIN IMMEDIATE`; an `append` inside one joins it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithClient = (
  config: Config
): Layer.Layer<EventStore.EventStore | SqlClient.SqlClient | SqliteClient.SqliteClient, MakeError> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      const tables = yield* validTables(config)
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
      }).pipe(Effect.mapError(failure("open")))
      const engine = yield* build(database.client, database.access, tables, config)
      return Context.make(EventStore.EventStore, StorageEngine.toEventStore(engine)).pipe(
        Context.add(SqlClient.SqlClient, database.client),
        Context.add(SqliteClient.SqliteClient, database.client)
      )
    })
  )

/**
 * A Layer that opens the database (WAL journal, `synchronous` default `NORMAL`, `busyTimeout` default 5 s, group
 * commit of concurrent appends) and provides `EventStore` only; the database closes with the Layer's scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: Config): Layer.Layer<EventStore.EventStore, MakeError> =>
  Layer.project(layerWithClient(config), EventStore.EventStore, EventStore.EventStore, (store) => store)
