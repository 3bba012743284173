/**
 * Runs a program in a child process, as a user would, and collects its exit status and what it printed: for the
 * tests of the example programs, the bench and the README's commands. `pnpm` runs a command through
 * `npx -y pnpm@10.34.8` from the repository root, exactly as the README writes it; `tsx` runs a TypeScript program
 * directly, for the many cases where pnpm adds nothing but seconds.
 *
 * @since 0.1.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"
import type { Readable } from "node:stream"
import { fileURLToPath } from "node:url"

/**
 * The repository's root directory.
 *
 * @since 0.1.0
 * @category constants
 */
export const repositoryRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..")

/**
 * The pnpm every command runs with, as the README writes it.
 *
 * @since 0.1.0
 * @category constants
 */
export const pnpmCommand: ReadonlyArray<string> = ["npx", "-y", "pnpm@10.34.8"]

/**
 * How a run ended: its exit code (or the signal that ended it) and everything it wrote.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Options of a run. `unprivileged` runs the child as user and group 65534 (`nobody`) when the tests run as root, so
 * file permissions stop it as they stop any user (root writes where it likes); as another user it changes nothing.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly cwd?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly unprivileged?: boolean
  readonly timeout?: number
}

/**
 * The user and group an unprivileged run takes, when the tests run as root.
 *
 * @since 0.1.0
 * @category constants
 */
export const unprivilegedId: { readonly uid: number; readonly gid: number } | undefined =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined

/** An environment without the variables set to `undefined`. */
const environment = (vars: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).flatMap(([key, value]) => (value === undefined ? [] : [[key, value]])))

/**
 * A program running in a child process: what it has written so far, and how it ends.
 *
 * @since 0.1.0
 * @category models
 */
export interface Running {
  readonly process: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly ended: Promise<Outcome>
}

/** Everything a stream has carried so far, as text. */
const collected = (stream: Readable): (() => string) => {
  const chunks: Array<string> = []
  stream.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk))
  return () => chunks.join("")
}

/**
 * Starts a command. Colours are off (`NO_COLOR=1`), as in any log, and `CHRONICLE_PG_URL` is unset unless
 * `options.env` sets it: the tests' server is theirs, not the examples'.
 *
 * @since 0.1.0
 * @category running
 */
export const start = (command: string, args: ReadonlyArray<string>, options: Options = {}): Running => {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repositoryRoot,
    // CHRONICLE_PG_URL puts the examples on PostgreSQL; a test that runs one there says so in `options.env`.
    env: environment({ ...process.env, NO_COLOR: "1", CHRONICLE_PG_URL: undefined, ...options.env }),
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.timeout ?? 120_000,
    ...(options.unprivileged === true && unprivilegedId !== undefined ? unprivilegedId : {})
  })
  const stdout = collected(child.stdout)
  const stderr = collected(child.stderr)
  const ended = new Promise<Outcome>((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (status, signal) => resolve({ status, signal, stdout: stdout(), stderr: stderr() }))
  })
  return { process: child, stdout, stderr, ended }
}

/**
 * Runs a command and waits for it to end.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (command: string, args: ReadonlyArray<string>, options: Options = {}): Promise<Outcome> =>
  start(command, args, options).ended

/**
 * Runs `npx -y pnpm@10.34.8 <args>` from the repository root.
 *
 * @since 0.1.0
 * @category running
 */
export const pnpm = (args: ReadonlyArray<string>, options: Options = {}): Promise<Outcome> =>
  run(pnpmCommand[0]!, [...pnpmCommand.slice(1), ...args], {
    ...options,
    env: { ...withoutPackageManager(), ...options.env }
  })

/**
 * The environment without the variables a package manager sets for the scripts it runs (`npm_config_*`,
 * `npm_lifecycle_*`, ...): a command runs as from a user's shell, and npx does not warn about pnpm's settings.
 */
const withoutPackageManager = (): Record<string, string | undefined> =>
  Object.fromEntries(Object.keys(process.env).flatMap((key) => (key.startsWith("npm_") ? [[key, undefined]] : [])))

/**
 * The `node` arguments that run a TypeScript program with tsx, resolving workspace packages to their sources.
 *
 * @since 0.1.0
 * @category running
 */
export const tsxArguments = (program: string, args: ReadonlyArray<string>): ReadonlyArray<string> => [
  "--import",
  "tsx",
  "--conditions=@chronicle/source",
  program,
  ...args
]

/**
 * Runs a TypeScript program with tsx from its package's directory, and waits for it to end.
 *
 * @since 0.1.0
 * @category running
 */
export const tsx = (packageDir: string, program: string, args: ReadonlyArray<string>, options: Options = {}) =>
  run(process.execPath, tsxArguments(program, args), { cwd: packageDir, ...options })

/**
 * The lines a run wrote to stderr, without trailing blank ones.
 *
 * @since 0.1.0
 * @category inspecting
 */
export const errorLines = (outcome: Outcome): ReadonlyArray<string> => outcome.stderr.trimEnd().split("\n")

/**
 * What the program itself wrote to stdout when pnpm ran it: pnpm's own lines (the `> name script` header and the
 * `ELIFECYCLE` note of a failure) dropped, and the blank lines around it.
 *
 * @since 0.1.0
 * @category inspecting
 */
export const printed = (outcome: Outcome): string =>
  outcome.stdout
    .split("\n")
    .filter((line) => !line.startsWith("> ") && !line.includes("ELIFECYCLE"))
    .join("\n")
    .trim()
