// Every error path of the real bin, on SQLite and on PostgreSQL: one line on stderr, nothing on stdout, the exit code
// of its kind (2 for the command line, 1 for the rest), never a stack trace, never a password.
import * as fs from "node:fs"
import * as path from "node:path"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { administer } from "@chronicle/postgres-server"
import { serverUrl, testDatabase } from "@chronicle/postgres-server/vitest"
import * as Bin from "./fixtures/Bin.js"
import * as Seed from "./fixtures/Seed.js"
import * as Stores from "./fixtures/Stores.js"

const server = new URL(serverUrl())
/** A URL on the run's server: its user and password, another database. */
const onServer = (database: string, password = decodeURIComponent(server.password)) =>
  `postgres://${server.username}:${encodeURIComponent(password)}@${server.host}/${database}`
const hidden = (database: string) => `postgres://${server.username}:***@${server.host}/${database}`
// A database of another application (no events table), and a Chronicle database whose tables were made by hand
// without their migrations recorded: migrate --dry-run creates nothing, so both are made here.
const other = await testDatabase("cli_errors_other")
const unmigrated = await testDatabase("cli_errors_unmigrated")
await administer(other, ["CREATE TABLE orders (id integer PRIMARY KEY)"])
await administer(unmigrated, ["CREATE TABLE chronicle_events (id integer PRIMARY KEY)"])
const otherName = new URL(other).pathname.slice(1)
const unmigratedName = new URL(unmigrated).pathname.slice(1)

const dir = Bin.tempDirectory("errors")
const db = path.join(dir, "good.db")
const notSqlite = path.join(dir, "notes.txt")
const otherSqlite = path.join(dir, "other.db")
beforeAll(async () => {
  await Seed.standard(Stores.sqliteFile(db))
  fs.writeFileSync(notSqlite, "just some notes\n")
  // A SQLite database of another application: migrate --dry-run creates nothing, so make one by hand.
  await Effect.runPromise(
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE orders (id INTEGER PRIMARY KEY)`).pipe(
      Effect.provide(SqliteClient.layer({ filename: otherSqlite }))
    )
  )
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, number, string | RegExp, Record<string, string>?]> =
  [
    [
      "no store",
      ["stats"],
      2,
      "choose a store: --db FILE (SQLite) or --pg URL (PostgreSQL, or $CHRONICLE_PG_URL); see chronicle stats --help"
    ],
    [
      "two stores",
      ["stats", "--db", db, "--pg", "postgres://localhost/x"],
      2,
      "--db and --pg cannot be combined: choose one store; see chronicle stats --help"
    ],
    [
      "--db and CHRONICLE_PG_URL: --db wins",
      ["stats", "--db", path.join(dir, "missing.db")],
      1,
      `no such file: ${path.join(dir, "missing.db")}`,
      { CHRONICLE_PG_URL: "postgres://localhost/x" }
    ],
    [
      "a PostgreSQL server that cannot be reached",
      ["stats", "--pg", "postgres://someone:s3cret@127.0.0.1:1/app"],
      1,
      "cannot reach the PostgreSQL server at 127.0.0.1:1 (connection refused)"
    ],
    [
      "a PostgreSQL host that does not exist",
      ["streams", "--pg", "postgres://someone:s3cret@no-such-host.invalid/app"],
      1,
      "cannot reach the PostgreSQL server at no-such-host.invalid:5432 (no such host)"
    ],
    [
      "CHRONICLE_PG_URL naming a server that cannot be reached",
      ["tail"],
      1,
      "cannot reach the PostgreSQL server at 127.0.0.1:1 (connection refused)",
      { CHRONICLE_PG_URL: "postgres://someone:s3cret@127.0.0.1:1/app" }
    ],
    [
      "a URL of another database system, shown without its password",
      ["stats", "--pg", "mysql://someone:s3cret@db/app"],
      1,
      '"mysql://someone:***@db/app" is not a PostgreSQL URL (it starts with mysql://, not postgres://): give postgres://USER:PASSWORD@HOST:5432/DATABASE'
    ],
    [
      "text that is not a URL, shown without its password",
      ["read", "x", "--pg", "postgres://someone:s3/cret@db:99999/app"],
      1,
      '"postgres://***@db:99999/app" is not a PostgreSQL URL (it cannot be read as a URL): give postgres://USER:PASSWORD@HOST:5432/DATABASE'
    ],
    [
      "a URL with a broken escape",
      ["export", "--pg", "postgres://someone:s3cret%zz@db/app"],
      1,
      '"postgres://someone:***@db/app" is not a PostgreSQL URL (a part of it is not valid percent-encoding): give postgres://USER:PASSWORD@HOST:5432/DATABASE'
    ],
    [
      "a wrong password",
      ["stats", "--pg", onServer(otherName, "wrong-password")],
      1,
      `the PostgreSQL server at ${server.host} refused the password of user ${JSON.stringify(server.username)}`
    ],
    [
      "no such database",
      ["checkpoints", "--pg", onServer("no_such_database")],
      1,
      `no such database "no_such_database" on the PostgreSQL server at ${server.host}`
    ],
    [
      "no such database to migrate",
      ["migrate", "--pg", onServer("no_such_database")],
      1,
      `no such database "no_such_database" on the PostgreSQL server at ${server.host}`
    ],
    [
      "a PostgreSQL database of another application",
      ["stats", "--pg", onServer(otherName)],
      1,
      `PostgreSQL database ${hidden(otherName)} is not a Chronicle database: it has no chronicle_events table`
    ],
    [
      "tail --follow on a database of another application",
      ["tail", "--follow"],
      1,
      `PostgreSQL database ${hidden(otherName)} is not a Chronicle database: it has no chronicle_events table`,
      { CHRONICLE_PG_URL: onServer(otherName) }
    ],
    [
      "a PostgreSQL database that needs migrations",
      ["streams", "--pg", onServer(unmigratedName)],
      1,
      `PostgreSQL database ${hidden(unmigratedName)} needs migrations (events: 1_create_events, 2_tags); run: chronicle migrate --pg URL`
    ],
    [
      "an import into a database that needs migrations",
      ["import", "-", "--pg", onServer(unmigratedName)],
      1,
      `PostgreSQL database ${hidden(unmigratedName)} needs migrations (events: 1_create_events, 2_tags); run: chronicle migrate --pg URL`
    ],
    [
      "a failing migration",
      ["migrate", "--pg", onServer(unmigratedName)],
      1,
      /^PostgreSQL database postgres:\/\/[^:]+:\*\*\*@[^ ]+: relation "chronicle_events" already exists$/
    ],
    [
      "--db and --pg together",
      ["export", "--pg", onServer(otherName), "--db", db],
      2,
      "--db and --pg cannot be combined: choose one store; see chronicle export --help"
    ],
    [
      "no such file",
      ["stats", "--db", path.join(dir, "missing.db")],
      1,
      `no such file: ${path.join(dir, "missing.db")}`
    ],
    ["a directory", ["streams", "--db", dir], 1, `${dir} is a directory, not a database file`],
    [
      "not a SQLite file",
      ["read", "x", "--db", notSqlite],
      1,
      `${notSqlite} is not a Chronicle database: it is not a SQLite file`
    ],
    [
      "a SQLite file of another application",
      ["stats", "--db", otherSqlite],
      1,
      `${otherSqlite} is not a Chronicle database: it has no chronicle_events table`
    ],
    [
      "import into another application's database",
      ["import", "-", "--db", otherSqlite],
      1,
      `${otherSqlite} is not a Chronicle database: it has no chronicle_events table`
    ],
    [
      "migrate a file that is not SQLite",
      ["migrate", "--db", notSqlite],
      1,
      `${notSqlite} is not a Chronicle database: it is not a SQLite file`
    ],
    [
      "a bad position",
      ["tail", "--db", db, "--after", "abc"],
      2,
      /^--after "abc" is not a position: a position is a whole number \(42\) or two joined by ":" \(7781:42\); see chronicle tail --help$/
    ],
    ["a bad export position", ["export", "--db", db, "--after", "1:2:3"], 2, /^--after "1:2:3" is not a position/],
    [
      "a bad number",
      ["read", "x", "--db", db, "--limit", "0"],
      2,
      '--limit needs a whole number of at least 1, not "0"; see chronicle read --help'
    ],
    ["an unknown option", ["stats", "--db", db, "--bogus"], 2, 'unknown option "--bogus"; see chronicle stats --help'],
    ["an option without its value", ["stats", "--db"], 2, "--db needs a value: --db FILE; see chronicle stats --help"],
    [
      "an option followed by another",
      ["tail", "--after", "--db", db],
      2,
      "--after needs a value: --after POS; see chronicle tail --help"
    ],
    [
      "an unknown command",
      ["stat"],
      2,
      'unknown command "stat": the commands are stats, streams, read, tail, export, import, checkpoints, migrate, serve; see chronicle --help'
    ],
    ["a missing argument", ["read", "--db", db], 2, "missing STREAM; see chronicle read --help"],
    [
      "an unexpected argument",
      ["stats", "extra", "--db", db],
      2,
      'unexpected argument "extra"; see chronicle stats --help'
    ],
    [
      "an invalid stream id",
      ["read", "a\u0001b", "--db", db],
      2,
      /^Invalid stream id "a\\u0001b": a stream id must not contain control characters$/
    ]
  ]

describe.concurrent("chronicle's errors", () => {
  for (const [name, args, code, message, env] of cases) {
    it(`${name}: exit code ${code}`, async () => {
      const outcome = await Bin.run(args, env === undefined ? {} : { env })
      expect(outcome.stdout).toBe("")
      expect(outcome.status).toBe(code)
      const lines = outcome.stderr.split("\n")
      expect(lines, outcome.stderr).toHaveLength(2)
      expect(lines[1]).toBe("")
      expect(lines[0]!.startsWith("chronicle: ")).toBe(true)
      const line = lines[0]!.slice("chronicle: ".length)
      if (typeof message === "string") expect(line).toBe(message)
      else expect(line).toMatch(message)
      expect(outcome.stderr).not.toMatch(/\n\s+at /)
      expect(outcome.stderr).not.toContain("s3cret")
      expect(outcome.stderr).not.toContain(`:${server.password}@`)
    })
  }

  it("a relative --db starts in the directory the command runs in", async () => {
    const outcome = await Bin.run(["stats", "--db", "good.db", "--json"], { cwd: dir })
    expect(outcome.status, outcome.stderr).toBe(0)
    expect(Bin.jsonLines(outcome)[0]).toMatchObject({ events: 6 })
  })

  it("colour only on a terminal, never with NO_COLOR", async () => {
    const piped = await Bin.run(["stats", "--db", db], { env: { NO_COLOR: undefined } })
    expect(piped.stdout).not.toContain("\u001b[")
    const terminal = await Bin.runInTerminal(["stats", "--db", db], { env: { NO_COLOR: undefined } })
    expect(terminal.status).toBe(0)
    expect(terminal.stdout).toContain("\u001b[1mTYPE")
    const noColour = await Bin.runInTerminal(["stats", "--db", db], { env: { NO_COLOR: "1" } })
    expect(noColour.stdout).toMatch(/TYPE +EVENTS/)
    expect(noColour.stdout).not.toContain("\u001b[")
  })

  it("on a terminal, export draws a progress bar in place, with the rate and the time left", async () => {
    const big = path.join(dir, "big.db")
    await Seed.many(Stores.sqliteFile(big), 30_000, 100)
    const outcome = await Bin.runInTerminal(["export", "--db", big, "--out", path.join(dir, "big.ndjson")])
    expect(outcome.status).toBe(0)
    // Each redraw: back to the line's start, clear it (ESC [2K), draw.
    const redraw = `\r${String.fromCharCode(27)}\\[2K`
    expect(outcome.stdout).toMatch(
      new RegExp(`${redraw}Exporting \\[[#-]{24}\\] +\\d+% [\\d,]+ events, [\\d,]+ events/s, (\\d+s|\\d+m\\d\\ds) left`)
    )
    expect(outcome.stdout).toMatch(new RegExp(`${redraw}Exported 30,000 events to .*big\\.ndjson in [\\d.]+ s`))
  })
})
