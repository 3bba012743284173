// Running the consumer test's commands: each prints one line with its time, and any output that speaks of versions
// or peer dependencies fails the test, as a non-zero exit does.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"

/** pnpm as the project runs it. */
export const pnpm = ["npx", "-y", "pnpm@10.34.8"]

/** Output that betrays a version problem: peer dependency warnings and Effect's runtime version mismatch warning. */
export const versionWarning = /\bpeer\b|ERESOLVE|unmet|Executing an Effect versioned|with a Runtime of version/i

/**
 * The environment of a user's shell: this process's, without the `npm_*` variables a package manager sets for the
 * scripts it runs (run as `pnpm test:consumer`, pnpm's own settings would otherwise reach npm, which warns about them,
 * and the scratch applications' pnpm). Configuration files (~/.npmrc) still apply.
 */
export const userEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)))

/** The time since `since`, for the log. */
export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Ends the test with a message. */
export const fail = (message) => {
  console.error(`\nconsumer test FAILED: ${message}`)
  process.exit(1)
}

const judge = (label, since, status, output) => {
  console.log(`  ${label} (${seconds(since)})`)
  if (status !== 0) fail(`${label} exited with ${status}:\n${output}`)
  const warning = output.split("\n").find((line) => versionWarning.test(line))
  if (warning !== undefined) fail(`${label} printed a version warning:\n${warning}\n\n${output}`)
  return output
}

/** Runs `command` to its end, with no warning about versions; returns its output (stdout, then stderr). */
export const run = (label, [command, ...args], options = {}) => {
  const since = Date.now()
  const result = attempt(command, args, options)
  return judge(label, since, result.status, result.output)
}

/** Runs `command` and returns its exit status and output, whatever they are. */
export const attempt = (command, args, options = {}) => {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: userEnv, ...options })
  if (result.error !== undefined) fail(`${command} ${args.join(" ")}: ${result.error.message}`)
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

/**
 * Starts `command` in the background, its output going to `log` (so nothing waits on a pipe while the test runs
 * other commands); the promise settles as `run` would when it ends.
 */
export const start = (label, [command, ...args], log, options = {}) => {
  const since = Date.now()
  const fd = fs.openSync(log, "w")
  const child = spawn(command, args, { env: userEnv, ...options, stdio: ["ignore", fd, fd] })
  return new Promise((resolve) => {
    child.on("error", (error) => fail(`${label}: ${error.message}`))
    child.on("exit", (status) => {
      fs.closeSync(fd)
      resolve(judge(label, since, status, fs.readFileSync(log, "utf8")))
    })
  })
}
