/**
 * What the commands print: JSON lines for scripts (`--json`), aligned tables for people, colour only on a terminal
 * and never with `NO_COLOR`. Everything goes through `process.stdout` / `process.stderr` directly, so nothing else
 * (Effect's `Console`, which `@effect/cli` prints its help through) interleaves with it.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { Effect } from "effect"

/** Whether a stream gets colour: a terminal, and no `NO_COLOR` (https://no-color.org: set and not empty). */
export const colourOn = (stream: NodeJS.WriteStream): boolean =>
  stream.isTTY === true && (process.env.NO_COLOR === undefined || process.env.NO_COLOR === "")

const paint = (code: string) => (text: string) => (colourOn(process.stdout) ? `\u001b[${code}m${text}\u001b[0m` : text)

/** Header cells. */
export const bold = paint("1")
/** Secondary text. */
export const dim = paint("2")

/** Writes lines to stdout. */
export const print = (text: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)
  })

/** Writes a line to stderr. */
export const note = (text: string): Effect.Effect<void> =>
  Effect.sync(() => {
    process.stderr.write(`${text}\n`)
  })

/** One JSON value per line. */
export const jsonLines = (values: ReadonlyArray<unknown>): string =>
  values.map((value) => JSON.stringify(value)).join("\n")

/** How a column is aligned: text to the left, numbers to the right. */
export type Align = "left" | "right"

/**
 * A table whose rows may come in several batches (a stream read page by page): the widths are those of the header
 * and the first batch, and grow if a later cell is wider. `header` is printed before the first batch.
 */
export const table = (header: ReadonlyArray<string>, align: ReadonlyArray<Align>) => {
  let widths: Array<number> | undefined
  const line = (cells: ReadonlyArray<string>, style?: (text: string) => string) => {
    const padded = cells.map((cell, i) => {
      const width = widths![i]!
      const text = align[i] === "right" ? cell.padStart(width) : cell.padEnd(width)
      return style === undefined ? text : style(text)
    })
    return padded.join("  ").trimEnd()
  }
  return (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
    const lines: Array<string> = []
    if (widths === undefined) {
      widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
      lines.push(line(header, bold))
    } else {
      widths = widths.map((w, i) => Math.max(w, ...rows.map((row) => row[i]!.length)))
    }
    for (const row of rows) lines.push(line(row))
    return lines.join("\n")
  }
}

/** A whole table at once. */
export const renderTable = (
  header: ReadonlyArray<string>,
  align: ReadonlyArray<Align>,
  rows: ReadonlyArray<ReadonlyArray<string>>
): string => table(header, align)(rows)

/** A size in bytes, for people: `24.0 KiB (24,576 bytes)`. */
export const bytes = (n: number): string => {
  const units = ["KiB", "MiB", "GiB", "TiB"]
  let value = n
  let unit = "bytes"
  for (const next of units) {
    if (value < 1024) break
    value /= 1024
    unit = next
  }
  const exact = `${n.toLocaleString("en-US")} bytes`
  return unit === "bytes" ? exact : `${value.toFixed(1)} ${unit} (${exact})`
}
