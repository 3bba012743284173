/**
 * The PostgreSQL event store: for applications whose several servers write one event store, on a database that is
 * already trusted, backed up and replicated. It runs the shared SQL engine of `@chronicle/sql` with the PostgreSQL
 * dialect, on `@effect/sql-pg`.
 *
 * - `layer(config)` opens a pool from a URL and provides `EventStore`; `layerWithClient(config)` also provides the
 *   pool as `SqlClient` and `PgClient`, for checkpoints, snapshots and read-model tables in the same database;
 * - `layerFromClient(options)` and `make(options)` run on the application's own `PgClient`, and appends inside the
 *   application's transaction (`sql.withTransaction`) join it.
 *
 * How it works:
 * - **positions** are pairs (transaction id, sequence), `"7781:42"`; `readAll`, `subscribe` and `headPosition` see
 *   only the events of transactions older than the oldest one still in flight, in (transaction id, sequence) order,
 *   so a reader never passes an event that commits later (see the README's ordering guarantee). A transaction left
 *   open delays readers (never loses events): keep transactions short, and let the server end stuck ones
 *   (`idleInTransactionTimeout`, `statementTimeout`);
 * - an **append** is one statement (check the expected version, insert the batch), its own transaction; when the
 *   check fails or a unique index refuses the batch, the append rule decides in a transaction of its own, which gives
 *   `WrongExpectedVersion` with the actual version, a repeat, or `DuplicateEventId`;
 * - **live subscriptions** wake on `LISTEN`/`NOTIFY` (a hint sent after each commit, outside it) and poll the head
 *   every `pollInterval` besides; the listening connection reconnects by itself, and `listenUrl` can point it past a
 *   pooler that cannot `LISTEN` (PgBouncer in transaction mode);
 * - a **lost connection** fails operations with `StorageError` (the pool's connect and statement timeouts keep them
 *   from hanging) while subscriptions wait and resume after the last event they delivered;
 * - the tables are created by versioned **migrations**, under an advisory lock, recorded in `migrationsTable`.
 *
 * @since 0.1.0
 */
import { EventStore, StorageError, StoreAdmin } from "@chronicle/core"
import { AdminEngine, Notifier, StorageEngine } from "@chronicle/core/engine"
import { type SqlDialect, SqlEngine, SqlFault, SqlIdentifier } from "@chronicle/sql"
import * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Context, Duration, Effect, Layer, Option, type Redacted, type Scope, Stream } from "effect"
import * as Connection from "./internal/connection.js"
import { channel, dialect } from "./internal/dialect.js"
import * as Notifications from "./internal/notifications.js"
import { resuming } from "./internal/subscriptions.js"

/**
 * A configured table name is not a plain SQL identifier. Names are spliced into SQL text, so only
 * `[A-Za-z_][A-Za-z0-9_]*` (at most 63 characters, not starting with `pg_`) is accepted.
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
 * Errors of building a store: a bad table name, or the server could not be reached or migrated.
 *
 * @since 0.1.0
 * @category models
 */
export type MakeError = InvalidIdentifier | StorageError.StorageError

/**
 * Options of a store.
 *
 * - `tables.events`: the events table (default `chronicle_events`); it also names the notification channel;
 * - `migrationsTable`: where the store's migrations are recorded (default `chronicle_migrations`, or
 *   `<events>_migrations` when `tables.events` names another table);
 * - `pollInterval`: how often a live subscription reads the head when no notification came (default 100 ms);
 * - `listen`: whether live subscriptions `LISTEN` for appends made by other processes (default `true`; with `false`
 *   they rely on polling alone);
 * - `listenUrl`: the server to `LISTEN` on, when the store's own connections cannot (default: the same server, with
 *   the same settings as the store's connections).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends SqlEngine.TableOptions {
  readonly pollInterval?: Duration.DurationInput | undefined
  readonly listen?: boolean | undefined
  readonly listenUrl?: string | Redacted.Redacted<string> | undefined
}

/**
 * Configuration of a store that opens its own pool.
 *
 * - `url`: the server and database, `postgres://user:password@host:5432/database` (plain or `Redacted`);
 * - `maxConnections`: the pool's size (default 10); the listening connection is one more;
 * - `connectTimeout`: how long to wait for a connection (default 5 s);
 * - `statementTimeout`: the server cancels a statement that runs longer (default 60 s; `0` leaves the server's
 *   setting, as a pooler that refuses startup parameters needs);
 * - `idleInTransactionTimeout`: the server ends a session that sits idle inside a transaction longer (default 60 s;
 *   `0` leaves the server's setting): such a transaction holds every reader back;
 * - `applicationName`: how the connections show in `pg_stat_activity` (default `chronicle`; the listening connection
 *   adds ` (listen)`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Config extends Options {
  readonly url: string | Redacted.Redacted<string>
  readonly maxConnections?: number | undefined
  readonly connectTimeout?: Duration.DurationInput | undefined
  readonly statementTimeout?: Duration.DurationInput | undefined
  readonly idleInTransactionTimeout?: Duration.DurationInput | undefined
  readonly applicationName?: string | undefined
}

/**
 * The default table names: `chronicle_events` and `chronicle_migrations`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTables: SqlDialect.EventTables = SqlEngine.defaultTables

/**
 * The default interval at which live subscriptions read the head when no notification came.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPollInterval: Duration.Duration = SqlEngine.defaultPollInterval

/**
 * The default size of the pool the store opens.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultMaxConnections = 10

/**
 * The default time to wait for a connection.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultConnectTimeout: Duration.Duration = Duration.seconds(5)

/**
 * The default statement timeout of the store's connections.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStatementTimeout: Duration.Duration = Duration.seconds(60)

/**
 * The default idle-in-transaction timeout of the store's connections.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultIdleInTransactionTimeout: Duration.Duration = Duration.seconds(60)

/**
 * The default application name of the store's connections.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApplicationName = "chronicle"

/** The listening connection's name and connect timeout, from the store's pool or the application's client. */
interface ListenSettings {
  readonly applicationName: string
  readonly connectTimeout: Duration.DurationInput
}

const build = (
  options: Options,
  listenSettings: ListenSettings
): Effect.Effect<Services, MakeError, PgClient.PgClient | Scope.Scope> =>
  Effect.gen(function* () {
    const tables = yield* SqlEngine.tables(dialect, options)
    const client = yield* PgClient.PgClient
    const notifier = Notifier.make()
    const engine = yield* SqlEngine.make({
      dialect,
      tables,
      pollInterval: options.pollInterval ?? defaultPollInterval,
      notifier
    }).pipe(Effect.provideService(SqlClient.SqlClient, client))
    const publisher = yield* Notifications.publisher(client, channel(tables))
    if (options.listen !== false) {
      yield* Notifications.listen({
        config: Connection.listenConfig(client, {
          url: options.listenUrl,
          applicationName: `${listenSettings.applicationName} (listen)`,
          connectTimeout: listenSettings.connectTimeout
        }),
        channel: channel(tables),
        onNotification: notifier.notify
      })
    }
    const store = StorageEngine.toEventStore({
      ...engine,
      append: (request) =>
        Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (outer) =>
          Option.isSome(outer)
            ? Effect.zipLeft(
                engine.append(request),
                Effect.mapError(publisher.inTransaction, StorageError.of("EventStore.append"))
              )
            : Effect.tap(engine.append(request), () => {
                if (request.events.length > 0) publisher.published()
              })
        ),
      awaitAppend: (after) => Notifications.onLiveClock(engine.awaitAppend(after))
    })
    const admin = AdminEngine.toStoreAdmin({
      ...engine,
      // Other processes' subscribers learn of an import as of an append.
      importRuns: (runs) =>
        Effect.tap(engine.importRuns(runs), (result) => {
          if (result.written > 0) publisher.published()
        })
    })
    return Context.make(EventStore.EventStore, {
      ...store,
      // Each page is a round trip: the next page is read while the caller handles this one.
      readAll: (options) => Stream.bufferChunks(store.readAll(options), { capacity: 1 }),
      readStream: (streamId, options) => Stream.bufferChunks(store.readStream(streamId, options), { capacity: 1 }),
      subscribe: resuming(store.subscribe)
    }).pipe(Context.add(StoreAdmin.StoreAdmin, admin))
  })

/** What the store's Layers provide: the event store and its admin. */
type Services = Context.Context<EventStore.EventStore | StoreAdmin.StoreAdmin>

/**
 * Builds the `EventStore` service over the `PgClient` in context: validates the table names, runs the store's
 * migrations (under an advisory lock, so processes starting together do not race; inside the application's
 * transaction when built in one), starts listening for other processes' appends (unless `listen: false`) and the
 * publisher of this one's, both stopped with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<EventStore.EventStore["Type"], MakeError, PgClient.PgClient | Scope.Scope> =>
  Effect.map(makeWithAdmin(options), (services) => Context.get(services, EventStore.EventStore))

/**
 * Builds the `EventStore` service and its `StoreAdmin` over the `PgClient` in context, as `make` does.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWithAdmin = (
  options: Options = {}
): Effect.Effect<
  Context.Context<EventStore.EventStore | StoreAdmin.StoreAdmin>,
  MakeError,
  PgClient.PgClient | Scope.Scope
> =>
  Effect.flatMap(PgClient.PgClient, (client) =>
    build(options, {
      applicationName: client.config.applicationName ?? defaultApplicationName,
      connectTimeout: client.config.connectTimeout ?? defaultConnectTimeout
    })
  )

/**
 * A Layer providing `EventStore` and its `StoreAdmin` over the `PgClient` the application provides (`PgClient.layer`,
 * or its own pool through `PgClient.layerFromPool`): appends inside the application's `sql.withTransaction` join that
 * transaction.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient = (
  options: Options = {}
): Layer.Layer<EventStore.EventStore | StoreAdmin.StoreAdmin, MakeError, PgClient.PgClient> =>
  Layer.scopedContext(makeWithAdmin(options))

/**
 * A Layer that opens a pool from `config.url` and provides `EventStore` and its `StoreAdmin` together with the pool
 * as `SqlClient` and `PgClient`, for the checkpoint and snapshot stores and the application's read-model tables; the
 * pool closes with the Layer's scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithClient = (
  config: Config
): Layer.Layer<EventStore.EventStore | StoreAdmin.StoreAdmin | SqlClient.SqlClient | PgClient.PgClient, MakeError> =>
  Layer.scopedContext(
    Effect.gen(function* () {
      yield* SqlEngine.tables(dialect, config)
      const client = yield* Connection.pool({
        url: config.url,
        maxConnections: config.maxConnections ?? defaultMaxConnections,
        connectTimeout: config.connectTimeout ?? defaultConnectTimeout,
        statementTimeout: config.statementTimeout ?? defaultStatementTimeout,
        idleInTransactionTimeout: config.idleInTransactionTimeout ?? defaultIdleInTransactionTimeout,
        applicationName: config.applicationName ?? defaultApplicationName
      }).pipe(Effect.catchTag("SqlError", SqlFault.fail("EventStore.connect")))
      yield* client.unsafe("SELECT 1").pipe(Effect.catchTag("SqlError", SqlFault.fail("EventStore.connect")))
      const services = yield* build(config, {
        applicationName: config.applicationName ?? defaultApplicationName,
        connectTimeout: config.connectTimeout ?? defaultConnectTimeout
      }).pipe(Effect.provideService(PgClient.PgClient, client))
      return services.pipe(Context.add(SqlClient.SqlClient, client), Context.add(PgClient.PgClient, client))
    })
  )

/**
 * A Layer that opens a pool from `config.url` and provides `EventStore` and its `StoreAdmin`; the pool closes with the
 * Layer's scope.
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
