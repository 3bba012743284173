/**
 * The `append-processes` workload's processes: four child processes, each with a pool of its own, appending single
 * events to streams of their own on one PostgreSQL database at once. Each starts, connects and says `ready`; the
 * clock starts when all of them are told `go` and stops when the last says `done`, so process start-up is not timed.
 * Each reports the CPU time it used, which is where the work happens (the measuring process only waits). The HTTP
 * workloads' load generator (`loader`) speaks the same line protocol, through `start`.
 *
 * @since 0.1.0
 */
import { type ChildProcessByStdio, spawn } from "node:child_process"
import type { Readable, Writable } from "node:stream"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { appendProcesses, type Params } from "./Workload.js"

const here = fileURLToPath(import.meta.url)

/**
 * The `node` arguments that run one of the bench's entry scripts (`appender`, `loader`) the way this module runs:
 * compiled, or from the sources with tsx.
 *
 * @since 0.1.0
 * @category running
 */
export const entry = (name: string): ReadonlyArray<string> => {
  const file = path.join(path.dirname(here), `${name}${path.extname(here)}`)
  return path.extname(here) === ".ts" ? ["--import", "tsx", "--conditions=@chronicle/source", file] : [file]
}

/**
 * A child process speaking the bench's line protocol: it prints lines on stdout (`ready`, `done ...`) and reads
 * commands (`go`) on stdin.
 *
 * @since 0.1.0
 * @category models
 */
export interface Child {
  readonly child: ChildProcessByStdio<Writable, Readable, null>
  /** The first line starting with `prefix`; rejects if the process exits before printing it. */
  readonly line: (prefix: string) => Promise<string>
}

/**
 * Starts one of the bench's entry scripts with `args`; its stderr goes to this process's.
 *
 * @since 0.1.0
 * @category running
 */
export const start = (name: string, args: ReadonlyArray<string>): Child => {
  const child = spawn(process.execPath, [...entry(name), ...args], { stdio: ["pipe", "pipe", "inherit"] })
  let out = ""
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk
  })
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = out.split("\n").find((l) => l.startsWith(prefix))
        if (found !== undefined) {
          child.stdout.off("data", check)
          resolve(found)
        }
      }
      child.stdout.on("data", check)
      child.on("exit", (code) => reject(new Error(`${name} exited with ${code} before "${prefix}"`)))
      check()
    })
  return { child, line }
}

/**
 * What the processes did: the events they appended, and the CPU time they used in all.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly events: number
  readonly cpuMillis: number
}

/**
 * Runs the processes on `store` (`bare-pg` or `postgres`) against the database at `url`: `params.events` events in
 * all, each process taking a quarter of them and a quarter of the streams.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (store: string, url: string, params: Params): Promise<Outcome> => {
  const perProcess = Math.ceil(params.events / appendProcesses)
  const streams = Math.max(1, Math.floor(params.streams / appendProcesses))
  const children = Array.from({ length: appendProcesses }, (_, index) =>
    start("appender", [
      "--store",
      store,
      "--url",
      url,
      "--events",
      String(perProcess),
      "--streams",
      String(streams),
      "--index",
      String(index)
    ])
  )
  await Promise.all(children.map((c) => c.line("ready")))
  for (const { child } of children) child.stdin.write("go\n")
  const done = await Promise.all(children.map((c) => c.line("done ")))
  for (const { child } of children) child.stdin.end()
  const cpuMillis = done.reduce((sum, line) => sum + Number(line.slice("done ".length)), 0)
  return { events: perProcess * appendProcesses, cpuMillis }
}
