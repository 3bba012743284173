/**
 * The PostgreSQL backend (`--pg URL`, `CHRONICLE_PG_URL`): checks the URL, then the database, before the store opens
 * it (a command that reads never creates or migrates tables: a database without the events table is not a Chronicle
 * database, one with pending migrations needs `chronicle migrate`; `import` and `migrate` create the tables of an
 * empty database), then opens `PostgresEventStore` (with its `StoreAdmin`, and `LISTEN` for `tail --follow`) and, when
 * the database has the table, `PostgresCheckpointStore`. Failures the server or the network explain (unreachable, a
 * refused password, no such database) become one line naming the server; the URL is never shown with its password.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { CheckpointStore } from "@chronicle/core"
import { SqlFault } from "@chronicle/sql"
import { PostgresCheckpointStore, PostgresEventStore, PostgresSchema } from "@chronicle/store-postgres"
import { PgClient } from "@effect/sql-pg"
import { Duration, Effect, Either, Layer, Redacted } from "effect"
import { type Backend, causes, judge, type Services, StoreUnavailable } from "./Backend.js"

/** How long to wait for the server before saying it cannot be reached. */
const connectTimeout = Duration.seconds(5)

/** How the connections show in `pg_stat_activity`. */
const applicationName = "chronicle (command line)"

/** A database named by a URL: the URL, as shown (without its password), and where it points. */
interface Target {
  readonly url: string
  readonly shown: string
  readonly server: string
  readonly user: string
  readonly database: string
}

/** A URL's text with its password (and anything else that may be one) replaced by `***`. */
export const withoutPassword = (text: string): string => {
  try {
    const parsed = new URL(text)
    if (parsed.password !== "") parsed.password = "***"
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***")
    return parsed.toString().replace("password=%2A%2A%2A", "password=***")
  } catch {
    // Not a URL: hide whatever precedes the last @ (user and password), and a password parameter.
    const at = text.lastIndexOf("@")
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)?.[0] ?? ""
    const hidden = at === -1 ? text : `${scheme}***${text.slice(at)}`
    return hidden.replace(/password=[^&]*/g, "password=***")
  }
}

/** The URL as a target, or why it is not a PostgreSQL URL. */
export const parse = (url: string): Either.Either<Target, StoreUnavailable> => {
  const shown = withoutPassword(url)
  const bad = (why: string) =>
    Either.left(
      new StoreUnavailable({
        problem: `${JSON.stringify(shown)} is not a PostgreSQL URL (${why}): give postgres://USER:PASSWORD@HOST:5432/DATABASE`
      })
    )
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return bad("it cannot be read as a URL")
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return bad(`it starts with ${parsed.protocol}//, not postgres://`)
  }
  let user: string
  let database: string
  try {
    user = decodeURIComponent(parsed.username)
    database = decodeURIComponent(parsed.pathname.slice(1))
    decodeURIComponent(parsed.password)
  } catch {
    return bad("a part of it is not valid percent-encoding")
  }
  return Either.right({
    url,
    shown,
    server: parsed.host === "" ? "localhost:5432" : parsed.port === "" ? `${parsed.host}:5432` : parsed.host,
    user,
    database
  })
}

/** Node's socket errors, as the reason a server cannot be reached. */
const unreachable: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the host name cannot be resolved now",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "timed out",
  "57P03": "the server is starting up or shutting down",
  "53300": "the server has too many connections"
}

/** The driver's own message: the deepest along the cause chain. */
const driverMessage = (error: unknown): string =>
  causes(error)
    .map((e) => e.message)
    .filter((message): message is string => typeof message === "string" && message.length > 0)
    .at(-1) ?? String(error)

/** A failure the server or the network explains, as one line naming the server; anything else as its message. */
const explain =
  (target: Target) =>
  (error: unknown): StoreUnavailable => {
    if (error instanceof StoreUnavailable) return error
    const code = SqlFault.errorCode(error)
    const message = driverMessage(error)
    const problem =
      code !== undefined && unreachable[code] !== undefined
        ? `cannot reach the PostgreSQL server at ${target.server} (${unreachable[code]})`
        : /timeout|timed out/i.test(message) && code === undefined
          ? `cannot reach the PostgreSQL server at ${target.server} (no answer within ${Duration.format(connectTimeout)})`
          : code === "28P01"
            ? `the PostgreSQL server at ${target.server} refused the password of user ${JSON.stringify(target.user)}`
            : code === "28000"
              ? `the PostgreSQL server at ${target.server} refused user ${JSON.stringify(target.user)}: ${message}`
              : code === "3D000"
                ? `no such database ${JSON.stringify(target.database)} on the PostgreSQL server at ${target.server}`
                : `PostgreSQL database ${target.shown}: ${message}`
    return new StoreUnavailable({ problem })
  }

/** A client for reading the tables' status or migrating them: one connection, closed after. */
const client = (target: Target) =>
  PgClient.layer({ url: Redacted.make(target.url), connectTimeout, maxConnections: 1, applicationName })

/** Every table and its migrations, read without writing. */
const status = (target: Target) =>
  PostgresSchema.status().pipe(Effect.provide(client(target)), Effect.mapError(explain(target)))

/** The PostgreSQL backend of a database, as its URL names it. */
export const backend = (target: Target): Backend => {
  const label = `PostgreSQL database ${target.shown}`
  return {
    label,
    services: (access) =>
      Layer.unwrapEffect(
        Effect.flatMap(status(target), (tables) =>
          Effect.map(
            judge(label, tables, {
              missingEvents: access === "write" ? "create" : "refuse",
              run: "chronicle migrate --pg URL"
            }),
            ({ checkpoints }): Layer.Layer<Services, StoreUnavailable> => {
              const events = PostgresEventStore.layerWithClient({
                url: Redacted.make(target.url),
                connectTimeout,
                applicationName,
                maxConnections: 4
              })
              const checkpointStore = checkpoints
                ? PostgresCheckpointStore.layer()
                : Layer.effect(CheckpointStore.CheckpointStore, CheckpointStore.makeInMemory())
              return Layer.provideMerge(checkpointStore, events).pipe(Layer.mapError(explain(target)))
            }
          )
        )
      ),
    status: status(target),
    migrate: PostgresSchema.migrate().pipe(Effect.provide(client(target)), Effect.mapError(explain(target)))
  }
}
