/**
 * Progress of an export or an import, on stderr (stdout may carry the export itself): on a terminal, a bar redrawn in
 * place with the rate and the time left; otherwise a plain line every few seconds, as a log wants it. The last word is
 * the caller's summary line.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { Effect } from "effect"
import * as Count from "../Count.js"

/** Where a transfer stands. `fraction` is how much of the total is done, when the total is known. */
export interface State {
  readonly events: number
  readonly fraction: number | undefined
  readonly elapsedMillis: number
}

const seconds = (millis: number) => {
  const s = Math.max(0, Math.round(millis / 1000))
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
}

/** Events per second so far. */
export const rate = (state: Pick<State, "events" | "elapsedMillis">): number =>
  state.elapsedMillis > 0 ? (state.events / state.elapsedMillis) * 1000 : 0

/** The text of a progress report: `45% 45,000 events, 95,000 events/s, 1s left`, with a bar on a terminal. */
export const describe = (verb: string, state: State, bar: boolean): string => {
  const done = Count.of(state.events, "event")
  const speed = `${Count.format(rate(state))} events/s`
  if (state.fraction === undefined) return `${verb} ${done}, ${speed}`
  const fraction = Math.min(1, Math.max(0, state.fraction))
  const left =
    fraction > 0 ? `, ${seconds((state.elapsedMillis * (1 - fraction)) / fraction)} left` : ", time left unknown"
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4)
  const width = 24
  const filled = Math.round(fraction * width)
  const drawn = bar ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : ""
  return `${verb} ${drawn}${percent} ${done}, ${speed}${left}`
}

/** How often a plain line is printed when stderr is not a terminal. */
export const plainInterval = 2_000

/**
 * A progress reporter: `update` after each chunk, `done` before the summary (clears the bar). `interval` is how often
 * a plain line is printed (default `plainInterval`).
 */
export const make = (verb: string, interval = plainInterval) => {
  const tty = process.stderr.isTTY === true
  const started = performance.now()
  let lastPrinted = started
  let drawn = false
  const update = (events: number, fraction: number | undefined): Effect.Effect<void> =>
    Effect.sync(() => {
      const now = performance.now()
      const state = { events, fraction, elapsedMillis: now - started }
      if (tty) {
        if (now - lastPrinted < 100 && drawn) return
        process.stderr.write(`\r\u001b[2K${describe(verb, state, true)}`)
        drawn = true
        lastPrinted = now
      } else if (now - lastPrinted >= interval) {
        process.stderr.write(`${describe(verb, state, false)}\n`)
        lastPrinted = now
      }
    })
  const done = Effect.sync(() => {
    if (drawn) process.stderr.write("\r\u001b[2K")
    return performance.now() - started
  })
  return { update, done }
}
