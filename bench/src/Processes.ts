/**
 * The `append-processes` workload's processes: four child processes, each with a pool of its own, appending single
 * events to streams of their own on one PostgreSQL database at once. Each starts, connects and says `ready`; the
 * clock starts when all of them are told `go` and stops when the last says `done`, so process start-up is not timed.
 * Each reports the CPU time it used, which is where the work happens (the measuring process only waits).
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { appendProcesses, type Params } from "./Workload.js"

const here = fileURLToPath(import.meta.url)

/** The `node` arguments that run the appender the way this module runs: compiled, or from the sources with tsx. */
const appender = (): ReadonlyArray<string> => {
  const file = path.join(path.dirname(here), `appender${path.extname(here)}`)
  return path.extname(here) === ".ts" ? ["--import", "tsx", "--conditions=@chronicle/source", file] : [file]
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
  const children = Array.from({ length: appendProcesses }, (_, index) => {
    const child = spawn(
      process.execPath,
      [
        ...appender(),
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
      ],
      { stdio: ["pipe", "pipe", "inherit"] }
    )
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
        child.on("exit", (code) => reject(new Error(`appender ${index} exited with ${code} before "${prefix}"`)))
        check()
      })
    return { child, line }
  })
  await Promise.all(children.map((c) => c.line("ready")))
  for (const { child } of children) child.stdin.write("go\n")
  const done = await Promise.all(children.map((c) => c.line("done ")))
  for (const { child } of children) child.stdin.end()
  const cpuMillis = done.reduce((sum, line) => sum + Number(line.slice("done ".length)), 0)
  return { events: perProcess * appendProcesses, cpuMillis }
}
