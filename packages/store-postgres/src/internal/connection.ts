/**
 * Connections the store opens itself: the pool of `layer`/`layerWithClient` (as a `PgClient`, with timeouts, so a
 * statement against a server that is gone fails instead of hanging), and the settings of the dedicated connection that
 * LISTENs (from a URL, or from the application's `PgClient`).
 *
 * @since 0.1.0
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Duration, Effect, Redacted, type Scope } from "effect"
import pg from "pg"

/**
 * A connection URL, plain or redacted.
 *
 * @since 0.1.0
 * @internal
 */
export type Url = string | Redacted.Redacted<string>

/**
 * The URL's text.
 *
 * @since 0.1.0
 * @internal
 */
export const urlText = (url: Url): string => (Redacted.isRedacted(url) ? Redacted.value(url) : url)

/**
 * Settings of the pool the store opens.
 *
 * @since 0.1.0
 * @internal
 */
export interface PoolSettings {
  readonly url: Url
  readonly maxConnections: number
  readonly connectTimeout: Duration.DurationInput
  readonly statementTimeout: Duration.DurationInput
  readonly idleInTransactionTimeout: Duration.DurationInput
  readonly applicationName: string
}

/**
 * node-postgres' client, except that a statement the server did not answer in time (`query_timeout`) ends its
 * connection: node-postgres would otherwise keep it, with the unanswered statement still in the way of the next one,
 * and hand it back to the pool as if healthy.
 */
function TimeoutEndsConnection(this: unknown, config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config)
  const query = client.query.bind(client) as (...args: Array<unknown>) => unknown
  ;(client as { query: unknown }).query = (...args: Array<unknown>) => {
    const last = args.length - 1
    const callback = args[last]
    if (typeof callback === "function") {
      args[last] = (error: unknown, result: unknown) => {
        if (error instanceof Error && error.message === "Query read timeout") client.end().catch(() => {})
        callback(error, result)
      }
    }
    return query(...args)
  }
  return client
}

const millis = (duration: Duration.DurationInput) =>
  Math.max(0, Math.round(Duration.toMillis(Duration.decode(duration))))

/** A server-side timeout as a startup parameter, left out when 0 (the server's own setting then applies). */
const serverTimeout = (name: string, duration: Duration.DurationInput) => {
  const ms = millis(duration)
  return ms === 0 ? {} : { [name]: ms }
}

/**
 * Opens a pool with the settings and makes a `PgClient` over it; the pool closes with the scope. Every connection
 * gives up connecting after `connectTimeout`, has the server cancel a statement after `statementTimeout` and end a
 * session idle inside a transaction after `idleInTransactionTimeout`, and stops waiting for an answer a few seconds
 * after the statement timeout (a server that is unreachable answers nothing, not even the cancellation).
 *
 * @since 0.1.0
 * @internal
 */
export const pool = (settings: PoolSettings): Effect.Effect<PgClient.PgClient, SqlError, Scope.Scope> => {
  const statementMillis = millis(settings.statementTimeout)
  return PgClient.fromPool({
    acquire: Effect.acquireRelease(
      Effect.sync(() => {
        const created = new pg.Pool({
          connectionString: urlText(settings.url),
          Client: TimeoutEndsConnection as unknown as typeof pg.Client,
          max: settings.maxConnections,
          connectionTimeoutMillis: millis(settings.connectTimeout),
          keepAlive: true,
          application_name: settings.applicationName,
          ...serverTimeout("statement_timeout", settings.statementTimeout),
          ...serverTimeout("idle_in_transaction_session_timeout", settings.idleInTransactionTimeout),
          ...(statementMillis === 0 ? {} : { query_timeout: statementMillis + 5_000 })
        })
        // An idle connection that breaks (the server restarted) is dropped by the pool; without a listener, its error
        // would end the process.
        created.on("error", () => {})
        return created
      }),
      (created) => Effect.promise(() => created.end()).pipe(Effect.interruptible, Effect.timeoutOption("2 seconds"))
    ),
    applicationName: settings.applicationName
  }).pipe(Effect.provide(Reactivity.layer))
}

/**
 * The settings of the connection that LISTENs: `url` when given, else the client's own (host, port, user, password,
 * database, TLS), with the application name and connect timeout given.
 *
 * @since 0.1.0
 * @internal
 */
export const listenConfig = (
  client: PgClient.PgClient,
  options: {
    readonly url?: Url | undefined
    readonly applicationName: string
    readonly connectTimeout: Duration.DurationInput
  }
): pg.ClientConfig => {
  const common = {
    application_name: options.applicationName,
    connectionTimeoutMillis: millis(options.connectTimeout),
    keepAlive: true
  }
  if (options.url !== undefined) return { ...common, connectionString: urlText(options.url) }
  const config = client.config
  return {
    ...common,
    ...(config.url === undefined ? {} : { connectionString: Redacted.value(config.url) }),
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.username === undefined ? {} : { user: config.username }),
    ...(config.password === undefined ? {} : { password: Redacted.value(config.password) }),
    ...(config.database === undefined ? {} : { database: config.database }),
    ...(config.ssl === undefined ? {} : { ssl: config.ssl })
  }
}
