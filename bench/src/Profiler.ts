/**
 * A CPU profiler around the measured repetitions only (not the process start, the setup or the warm-up), through the
 * inspector of the worker's own thread. `pnpm bench --profile` turns it on; the profile is a regular `.cpuprofile`
 * (open it in Chrome DevTools, or summarize it with `node dist/src/profile.js`).
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Session } from "node:inspector"

/**
 * Starts and stops profiling.
 *
 * @since 0.1.0
 * @category models
 */
export interface Profiler {
  /** Whether samples are being written (the driver then skips its forced GC between repetitions). */
  readonly enabled: boolean
  readonly start: () => void
  readonly stop: () => void
}

/**
 * Does nothing: the default when no profile was asked for.
 *
 * @since 0.1.0
 * @category constructors
 */
export const none: Profiler = { enabled: false, start: () => {}, stop: () => {} }

/**
 * A profiler that writes the samples between `start` and `stop` to `file`, sampling every `intervalMicros`. Posts to
 * an in-thread inspector session complete synchronously, so profiling starts before `start` returns.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toFile = (file: string, intervalMicros = 500): Profiler => {
  const session = new Session()
  session.connect()
  const post = (method: string, params?: object) =>
    session.post(method, params, (error) => {
      if (error !== null) throw error
    })
  post("Profiler.enable")
  post("Profiler.setSamplingInterval", { interval: intervalMicros })
  return {
    enabled: true,
    start: () => post("Profiler.start"),
    stop: () =>
      session.post("Profiler.stop", (error, result) => {
        if (error !== null) throw error
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, JSON.stringify(result.profile))
        session.disconnect()
      })
  }
}
