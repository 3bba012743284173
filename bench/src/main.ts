/**
 * `pnpm bench`: runs every workload on every store, each in its own fresh worker process, then prints the table and
 * writes the JSON (`results/latest.json` for a full run, `results/partial.json` for any other: see `BenchOptions`).
 * `--help` lists the options; a bad flag is one line and exit code 2. See the README for how to read the numbers.
 *
 * @since 0.1.0
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Count } from "@chronicle/cli"
import { CommandLine, Program } from "@chronicle/example-cli"
import * as PostgresServer from "@chronicle/postgres-server"
import Database from "better-sqlite3"
import { Effect, Schema } from "effect"
import pg from "pg"
import * as BenchOptions from "./BenchOptions.js"
import * as Report from "./Report.js"
import { marker, type WorkerResult } from "./Result.js"
import { onPostgres, type StoreName, storeNames, type WorkloadName, workloads } from "./Workload.js"

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const profileDir = path.join(benchDir, "results", "profiles")
const log = (line: string) => process.stderr.write(`${line}\n`)

/** Some store × workload runs failed; each is named in the log above. */
class BenchFailed extends Schema.TaggedError<BenchFailed>()("BenchFailed", { failed: Schema.Number }) {
  override get message(): string {
    return `${Count.of(this.failed, "run")} failed (see above); the results of the others are written`
  }
}

const selected = <A extends string>(given: ReadonlyArray<string> | undefined, all: ReadonlyArray<A>) =>
  given === undefined || given.length === 0 ? all : all.filter((a) => given.includes(a))

/**
 * Builds the packages (their `dist/`, as published) and compiles the bench (`tsc -b`), so workers run plain JavaScript: the tsx loader alone adds
 * about 70 MB to a process's resident memory and its own startup to CPU profiles. `--source` skips this and runs the
 * TypeScript sources through tsx instead. TypeScript emits even when a package has type errors; those are reported.
 */
const compile = (values: BenchOptions.Values) => {
  if (values.source) return
  const require = createRequire(path.join(benchDir, "package.json"))
  const tsc = require.resolve("typescript/bin/tsc")
  log("Compiling (tsc -b: the packages' builds, then the bench)...")
  const packages = spawnSync(process.execPath, [tsc, "-b", path.join(benchDir, "..", "tsconfig.build.json")], {
    stdio: "inherit"
  })
  const build = spawnSync(process.execPath, [tsc, "-b", benchDir], { stdio: "inherit" })
  if (packages.status !== 0 || build.status !== 0) log("  tsc -b reported errors; running whatever it emitted")
}

const workerCommand = (values: BenchOptions.Values) =>
  values.source
    ? ["--import", "tsx", "--conditions=@chronicle/source", path.join("src", "worker.ts")]
    : [path.join("dist", "src", "worker.js")]

/** Starts a worker process and returns its stdout, or fails with its exit status. */
const spawnWorker = (
  values: BenchOptions.Values,
  args: ReadonlyArray<string>,
  profileName?: string,
  nodeFlags: ReadonlyArray<string> = []
): string => {
  const profile =
    values.profile && profileName !== undefined
      ? ["--cpu-profile", path.join(profileDir, `${profileName}.cpuprofile`)]
      : []
  const command = ["--expose-gc", ...nodeFlags, ...workerCommand(values), ...args, ...profile]
  const child = spawnSync(process.execPath, command, {
    cwd: benchDir,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024
  })
  if (child.error !== undefined) throw child.error
  if (child.status !== 0) throw new Error(`worker ${args.join(" ")} exited with ${child.status ?? child.signal}`)
  return child.stdout
}

/** One store × workload in fresh processes: a bulk setup process first when the workload has one, then the worker. */
const runOne = (
  values: BenchOptions.Values,
  store: StoreName,
  name: WorkloadName,
  pgUrl: string | undefined
): WorkerResult => {
  const common = [
    ...(values.quick ? ["--quick"] : []),
    ...(values.repetitions === undefined ? [] : ["--repetitions", String(values.repetitions)]),
    ...(pgUrl === undefined || !onPostgres(store) ? [] : ["--pg-url", pgUrl])
  ]
  const args = ["--store", store, "--workload", name, ...common]
  const bulk = workloads[name].bulkSetup && store !== "memory" && store !== "naive"
  const tmp = bulk ? fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-bench-data-")) : undefined
  try {
    const database = tmp === undefined ? [] : ["--database", path.join(tmp, `${store}.db`)]
    if (tmp !== undefined) spawnWorker(values, [...args, ...database, "--setup"])
    const stdout = spawnWorker(values, [...args, ...database], `${store}-${name}`, workloads[name].nodeFlags)
    const line = stdout.split("\n").find((l) => l.startsWith(marker))
    if (line === undefined) throw new Error(`worker ${args.join(" ")} printed no result`)
    return JSON.parse(line.slice(marker.length)) as WorkerResult
  } finally {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true })
  }
}

const versionOf = (pkg: string): string => {
  try {
    const require = createRequire(path.join(benchDir, "package.json"))
    return (require(`${pkg}/package.json`) as { readonly version: string }).version
  } catch {
    return "unknown"
  }
}

const git = (args: ReadonlyArray<string>): string => {
  try {
    return execFileSync("git", args, { cwd: benchDir, encoding: "utf8" }).trim()
  } catch {
    return "unknown"
  }
}

/** The files under `packages/` that differ from the commit: what was measured is the working tree, not the commit. */
const uncommitted = (): Array<string> =>
  git(["status", "--porcelain", "--", "../packages"])
    .split("\n")
    .filter((line) => line.length > 0 && line !== "unknown")
    .map((line) => line.slice(3))

const roundedLoad = () => os.loadavg().map((l) => Math.round(l * 100) / 100)

/**
 * The PostgreSQL server the PostgreSQL stores run on: the one `CHRONICLE_PG_URL` names, or an embedded one started for
 * the run (PostgreSQL's default settings: `fsync` and `synchronous_commit` on, every commit waits for the WAL's flush).
 */
const postgresServer = async (): Promise<{ readonly url: string; readonly stop: () => Promise<void> }> => {
  const given = process.env[PostgresServer.urlVariable]
  if (given !== undefined && given !== "") return { url: given, stop: async () => {} }
  log("Starting an embedded PostgreSQL for the PostgreSQL stores...")
  return PostgresServer.start()
}

/** The server's version and the settings that decide a commit's cost. */
const postgresInfo = async (url: string) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const show = async (name: string) => String((await client.query(`SHOW ${name}`)).rows[0]?.[name])
    return {
      version: await show("server_version"),
      embedded: process.env[PostgresServer.urlVariable] === undefined,
      fsync: await show("fsync"),
      synchronousCommit: await show("synchronous_commit"),
      sharedBuffers: await show("shared_buffers"),
      walSyncMethod: await show("wal_sync_method")
    }
  } finally {
    await client.end()
  }
}

const machine = (
  results: ReadonlyArray<WorkerResult>,
  loadAtStart: ReadonlyArray<number>,
  postgres: Awaited<ReturnType<typeof postgresInfo>> | null
) => {
  const memory = new Database(":memory:")
  const sqlite = String(memory.prepare("SELECT sqlite_version()").pluck().get())
  memory.close()
  const pragmas = (store: StoreName) => results.find((r) => r.store === store && r.pragmas !== undefined)?.pragmas
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite,
    betterSqlite3: versionOf("better-sqlite3"),
    effect: versionOf("effect"),
    commit: git(["rev-parse", "--short", "HEAD"]),
    uncommittedPackageFiles: uncommitted(),
    date: new Date().toISOString(),
    loadAverage: { atStart: loadAtStart, atEnd: roundedLoad() },
    sqlitePragmas: {
      sqlite: pragmas("sqlite") ?? null,
      bare: pragmas("bare") ?? null,
      lean: pragmas("lean") ?? null
    },
    postgres
  }
}

/** Where a path is best shown: relative to where the command was run, unless it lies outside. */
const shown = (file: string) => {
  const relative = path.relative(CommandLine.baseDirectory(), file)
  return relative.startsWith("..") ? file : relative
}

const run = async (values: BenchOptions.Values): Promise<BenchFailed | undefined> => {
  const started = performance.now()
  const loadAtStart = roundedLoad()
  compile(values)
  const results: Array<WorkerResult> = []
  const failures: Array<string> = []
  const plan = BenchOptions.workloadsOf(values).flatMap((name) =>
    selected(values.store, storeNames)
      .filter((store) => workloads[name].stores.includes(store))
      .map((store) => [name, store] as const)
  )
  const server = plan.some(([, store]) => onPostgres(store)) ? await postgresServer() : undefined
  let postgres: Awaited<ReturnType<typeof postgresInfo>> | null = null
  try {
    if (server !== undefined) postgres = await postgresInfo(server.url)
    for (const [name, store] of plan) {
      log(`▶ ${name} on ${store}`)
      const start = performance.now()
      try {
        results.push(runOne(values, store, name, server?.url))
      } catch (error) {
        failures.push(`${name} on ${store}: ${error instanceof Error ? error.message : String(error)}`)
        log(`  FAILED: ${failures[failures.length - 1]}`)
      }
      log(`  (${((performance.now() - start) / 1000).toFixed(1)} s)`)
    }
  } finally {
    await server?.stop()
  }

  const all = Report.records(results)
  const checks = Report.checkTargets(all)
  const info = machine(results, loadAtStart, postgres)
  const output = {
    mode: values.quick ? "quick" : "full",
    complete: BenchOptions.isFull(values),
    runner: values.source ? "tsx (TypeScript sources)" : "node (compiled by tsc -b)",
    machine: info,
    records: all,
    targets: checks,
    failures
  }
  const out = BenchOptions.outputFile(values, benchDir)
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, `${JSON.stringify(output, null, 2)}\n`)

  const { bare, lean, sqlite } = info.sqlitePragmas
  console.log(
    `\n${info.cpu}, ${info.cores} cores, Node ${info.node}, SQLite ${info.sqlite}, ${output.mode} run, ${info.date}, ` +
      `load average ${loadAtStart[0]} at start, ${info.loadAverage.atEnd[0]} at end`
  )
  if (sqlite !== null || bare !== null || lean !== null) {
    const show = (p: typeof sqlite) => (p === null ? "–" : `${p.journalMode}/synchronous=${p.synchronous}`)
    console.log(`SQLite settings: store ${show(sqlite)}, bare ${show(bare)}, lean ${show(lean)}`)
  }
  if (postgres !== null) {
    console.log(
      `PostgreSQL ${postgres.version}${postgres.embedded ? " (embedded)" : ""}: fsync=${postgres.fsync}, ` +
        `synchronous_commit=${postgres.synchronousCommit}, wal_sync_method=${postgres.walSyncMethod}, ` +
        `shared_buffers=${postgres.sharedBuffers}`
    )
  }
  console.log(`\n${Report.table(all, checks)}`)
  if (failures.length > 0) console.log(`\nFailed:\n${failures.map((f) => `  ${f}`).join("\n")}`)
  console.log(`\nWrote ${shown(out)} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  if (values.profile) console.log(`CPU profiles in ${shown(profileDir)}`)
  return failures.length > 0 ? new BenchFailed({ failed: failures.length }) : undefined
}

Program.main(BenchOptions.commandLine, (values) =>
  Effect.flatMap(
    Effect.promise(() => run(values)),
    (failed) => (failed === undefined ? Effect.void : Effect.fail(failed))
  )
)
