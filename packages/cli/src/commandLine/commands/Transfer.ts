/**
 * `export` and `import`: a store's events to NDJSON and back (`ExportFormat`), with progress on stderr.
 *
 * Export reads the global order page by page and writes each page as it comes, to a file (written beside it as
 * `FILE.partial`, renamed when complete, so a failed export leaves no file that looks whole) or to stdout. Import reads
 * lines as they come and imports them 1,000 at a time (`StoreAdmin.importEvents`: each chunk one transaction), so
 * memory stays bounded; a conflict stops it, every chunk before it committed and consistent, nothing of its own chunk
 * written. Importing the same file again writes nothing.
 *
 * The `chronicle` bin's own module (not exported).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Position, StoreAdmin } from "@chronicle/core"
import { Args, Command, Options } from "@effect/cli"
import { Effect, Schema } from "effect"
import * as Count from "../../Count.js"
import * as ExportFormat from "../../ExportFormat.js"
import * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import * as Progress from "../Progress.js"
import { checkedOnStore, description } from "../Run.js"

const resolve = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file)

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`

/** An output file that cannot be written, or an input that cannot be read. */
class FileProblem extends Schema.TaggedError<FileProblem>()("FileProblem", { line: Schema.String }) {
  override get message(): string {
    return this.line
  }
}

const fileProblem = (file: string, verb: string) => (error: unknown) => {
  const code = (error as { readonly code?: unknown }).code
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a directory"
          : error instanceof Error
            ? error.message
            : String(error)
  return new FileProblem({ line: `cannot ${verb} ${file}: ${reason}` })
}

/** Where an export goes: a file, written as `FILE.partial` and renamed when complete, or stdout. */
const sink = (out: string) =>
  out === "-"
    ? Effect.succeed({
        write: (text: string) => Effect.sync(() => void process.stdout.write(text)),
        finish: Effect.void,
        label: "stdout"
      })
    : Effect.acquireRelease(
        Effect.try({
          try: () => {
            const target = resolve(out)
            const partial = `${target}.partial`
            return { target, partial, fd: fs.openSync(partial, "w"), done: false }
          },
          catch: fileProblem(out, "write")
        }),
        (file) =>
          Effect.sync(() => {
            fs.closeSync(file.fd)
            if (!file.done) fs.rmSync(file.partial, { force: true })
          })
      ).pipe(
        Effect.map((file) => ({
          write: (text: string) =>
            Effect.try({ try: () => void fs.writeSync(file.fd, text), catch: fileProblem(out, "write") }),
          finish: Effect.try({
            try: () => {
              fs.fsyncSync(file.fd)
              fs.renameSync(file.partial, file.target)
              file.done = true
            },
            catch: fileProblem(out, "write")
          }),
          label: out
        }))
      )

/** `chronicle export`. */
export const exportCommand = Command.make(
  "export",
  {
    ...Flags.store,
    after: Flags.textOf("after", "POS", "only the events after this position (default: every event)"),
    out: Options.text("out").pipe(
      Options.withPseudoName("FILE"),
      Options.withDescription("the file to write, replaced if it exists; - for stdout (the default)"),
      Options.withDefault("-")
    )
  },
  (flags) =>
    checkedOnStore(
      "chronicle export",
      flags,
      "read",
      Flags.position("chronicle export", "after", flags.after),
      (given) =>
        Effect.gen(function* () {
          const after = given ?? Position.start
          const total = yield* StoreAdmin.countAfter(after)
          const out = yield* sink(flags.out)
          const progress = Progress.make("Exporting")
          const exported = yield* ExportFormat.exportEvents({
            after,
            write: out.write,
            onProgress: (n) => progress.update(n, total === 0 ? undefined : Math.min(1, n / total)),
            onWaiting: (committed) =>
              Output.note(
                `Waiting for transactions that began before the last committed event (position ${Position.format(committed)}) to end`
              )
          })
          yield* out.finish
          const millis = yield* progress.done
          yield* Output.note(
            `Exported ${Count.of(exported, "event")} to ${out.label} in ${seconds(millis)} (${Count.format(Progress.rate({ events: exported, elapsedMillis: millis }))} events/s)`
          )
        }).pipe(Effect.scoped)
    )
).pipe(
  Command.withDescription(
    description(
      "Writes the store's events, in the global order, as NDJSON: one event per line with its id, stream id, version, type, data, metadata and recordedAt (positions are the store's own and are not written). chronicle import reads it back. Progress and the summary go to stderr.",
      "chronicle export --db app.db --out events.ndjson",
      "chronicle export --db app.db --after 1200 | gzip > recent.ndjson.gz"
    )
  )
)

/** The lines of a file (or stdin), with the bytes read so far. */
const lines = (file: string) =>
  Effect.map(
    Effect.try({
      try: () => {
        if (file === "-") return { input: process.stdin as NodeJS.ReadableStream, size: undefined }
        const target = resolve(file)
        const stats = fs.statSync(target)
        if (stats.isDirectory()) throw Object.assign(new Error("it is a directory"), { code: "EISDIR" })
        fs.accessSync(target, fs.constants.R_OK)
        return { input: fs.createReadStream(target) as NodeJS.ReadableStream, size: stats.size }
      },
      catch: fileProblem(file, "read")
    }),
    ({ input, size }) => {
      let bytes = 0
      const stream = ExportFormat.linesOf(
        input as AsyncIterable<Uint8Array | string>,
        fileProblem(file, "read"),
        (count) => {
          bytes += count
        }
      )
      return { stream, size, bytes: () => bytes }
    }
  )

/** `chronicle import`. */
export const importCommand = Command.make(
  "import",
  {
    ...Flags.store,
    json: Options.boolean("json").pipe(Options.withDescription("print the summary as one JSON value")),
    file: Args.text({ name: "FILE" }).pipe(Args.withDescription("the NDJSON file chronicle export wrote; - for stdin"))
  },
  (flags) =>
    checkedOnStore("chronicle import", flags, "write", lines(flags.file), (input) =>
      Effect.gen(function* () {
        const progress = Progress.make("Importing")
        const where = flags.file === "-" ? "stdin" : flags.file
        const { read, skipped, written } = yield* ExportFormat.importLines(input.stream, {
          onProgress: (summary) =>
            progress.update(
              summary.read,
              input.size === undefined || input.size === 0 ? undefined : input.bytes() / input.size
            )
        }).pipe(
          Effect.mapError((error) =>
            error._tag === "ImportStopped" ? new FileProblem({ line: `${where}, ${error.message}` }) : error
          )
        )
        const millis = yield* progress.done
        const rate = Count.format(Progress.rate({ events: read, elapsedMillis: millis }))
        yield* Output.print(
          flags.json
            ? JSON.stringify({ read, written, skipped })
            : `Imported ${where}: ${Count.of(read, "event")} read, ${Count.format(written)} written, ${Count.format(skipped)} already present, in ${seconds(millis)} (${rate} events/s)`
        )
      })
    )
).pipe(
  Command.withDescription(
    description(
      "Imports a file chronicle export wrote, keeping every event's id, stream, version, type, data, metadata and recordedAt. Events already stored are skipped, so importing the same file twice writes nothing the second time; an event that conflicts with the stored history stops the import (what was imported before stays, whole). A new database file is created.",
      "chronicle import events.ndjson --db copy.db",
      "gunzip -c recent.ndjson.gz | chronicle import - --db copy.db"
    )
  )
)
