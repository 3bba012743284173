/**
 * The commands that look into a store: `stats`, `streams`, `read`, `tail`.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { EventStore, Position, type RecordedEvent, StoreAdmin } from "@chronicle/core"
import { Args, Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Stream } from "effect"
import * as Count from "../../Count.js"
import * as Program from "../../Program.js"
import * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import { checkedOnStore, clip, description, eventJson, onStore } from "../Run.js"

/** `chronicle stats`. */
export const stats = Command.make("stats", { ...Flags.store, json: Flags.json }, (flags) =>
  onStore(
    "chronicle stats",
    flags,
    "read",
    Effect.flatMap(StoreAdmin.stats, (s) => {
      if (flags.json) {
        return Output.print(
          JSON.stringify({
            events: s.events,
            streams: s.streams,
            head: Position.format(s.head),
            firstRecordedAt: s.firstRecordedAt?.toISOString() ?? null,
            lastRecordedAt: s.lastRecordedAt?.toISOString() ?? null,
            eventTypes: s.eventTypes,
            size: s.size._tag === "Known" ? s.size.bytes : "unknown"
          })
        )
      }
      const totals = Output.renderTable(
        ["", ""],
        ["left", "left"],
        [
          ["events", Count.format(s.events)],
          ["streams", Count.format(s.streams)],
          ["head position", Position.format(s.head)],
          ["first recorded", s.firstRecordedAt?.toISOString() ?? "–"],
          ["last recorded", s.lastRecordedAt?.toISOString() ?? "–"],
          ["size on disk", s.size._tag === "Known" ? Output.bytes(s.size.bytes) : "unknown"]
        ]
      )
        .split("\n")
        .slice(1)
        .join("\n")
      const types =
        s.eventTypes.length === 0
          ? ""
          : `\n\n${Output.renderTable(
              ["TYPE", "EVENTS"],
              ["left", "right"],
              s.eventTypes.map((t) => [t.type, Count.format(t.count)])
            )}`
      return Output.print(`${totals}${types}`)
    })
  )
).pipe(
  Command.withDescription(
    description(
      "The store's totals: events, streams, the head position, the first and last recordedAt, the events of each type, and the size on disk (unknown for a store without a file).",
      "chronicle stats --db app.db",
      "chronicle stats --db app.db --json | jq .events"
    )
  )
)

/** `chronicle streams`. */
export const streams = Command.make(
  "streams",
  {
    ...Flags.store,
    json: Flags.json,
    prefix: Flags.textOf("prefix", "P", "only the streams whose id starts with P"),
    limit: Flags.textOf("limit", "N", "at most N streams (default: all)"),
    after: Flags.textOf("after", "ID", "start after the stream ID (the last one a previous page showed)")
  },
  (flags) =>
    checkedOnStore(
      "chronicle streams",
      flags,
      "read",
      Flags.wholeNumber("chronicle streams", "limit", flags.limit, 1),
      (limit) =>
        Effect.gen(function* () {
          const page = (after: string | undefined, remaining: number) =>
            StoreAdmin.listStreams({
              prefix: Option.getOrElse(flags.prefix, () => ""),
              limit: Math.min(remaining, 500),
              ...(after === undefined ? {} : { after })
            })
          const table = Output.table(
            ["STREAM", "VERSION", "LAST WRITE", "POSITION"],
            ["left", "right", "left", "right"]
          )
          let after = Option.getOrUndefined(flags.after)
          let remaining = limit ?? Number.MAX_SAFE_INTEGER
          let shown = 0
          while (remaining > 0) {
            const { next, streams } = yield* page(after, remaining)
            if (streams.length > 0) {
              yield* Output.print(
                flags.json
                  ? Output.jsonLines(
                      streams.map((s) => ({
                        streamId: s.streamId,
                        version: s.version,
                        lastRecordedAt: s.lastRecordedAt.toISOString(),
                        position: Position.format(s.position)
                      }))
                    )
                  : table(
                      streams.map((s) => [
                        s.streamId,
                        String(s.version),
                        s.lastRecordedAt.toISOString(),
                        Position.format(s.position)
                      ])
                    )
              )
            }
            shown += streams.length
            remaining -= streams.length
            after = next
            if (next === undefined) break
          }
          if (!flags.json && shown === 0) yield* Output.print(Output.dim("no streams"))
          if (!flags.json && remaining === 0 && after !== undefined) {
            const more = yield* StoreAdmin.listStreams({
              prefix: Option.getOrElse(flags.prefix, () => ""),
              after,
              limit: 1
            })
            if (more.streams.length > 0) yield* Output.print(Output.dim(`more: --after ${JSON.stringify(after)}`))
          }
        })
    )
).pipe(
  Command.withDescription(
    description(
      "The streams, in order of their ids, with their version, the time of their last write and its position.",
      "chronicle streams --db app.db --prefix BankAccount- --limit 20",
      "chronicle streams --db app.db --json"
    )
  )
)

/** Prints events page by page: as JSON lines, or as one table whose widths come from the first page. */
const printEvents = <E, R>(
  events: Stream.Stream<RecordedEvent.RecordedEvent, E, R>,
  json: boolean,
  withStream: boolean
) => {
  const header = withStream
    ? ["POSITION", "STREAM", "VERSION", "TYPE", "RECORDED AT", "DATA"]
    : ["VERSION", "POSITION", "TYPE", "RECORDED AT", "DATA"]
  const table = Output.table(
    header,
    withStream ? ["right", "left", "right", "left", "left", "left"] : ["right", "right", "left", "left", "left"]
  )
  const row = (e: RecordedEvent.RecordedEvent) =>
    withStream
      ? [Position.format(e.position), e.streamId, String(e.version), e.type, e.recordedAt.toISOString(), clip(e.data)]
      : [String(e.version), Position.format(e.position), e.type, e.recordedAt.toISOString(), clip(e.data)]
  let printed = 0
  return Stream.runForEachChunk(events, (chunk) => {
    if (Chunk.isEmpty(chunk)) return Effect.void
    const list = Chunk.toReadonlyArray(chunk)
    printed += list.length
    return Output.print(json ? Output.jsonLines(list.map(eventJson)) : table(list.map(row)))
  }).pipe(Effect.map(() => printed))
}

/** `chronicle read`. */
export const read = Command.make(
  "read",
  {
    ...Flags.store,
    json: Flags.json,
    from: Flags.textOf("from", "V", "the first version to read (default: 1, or the last one --backward)"),
    to: Flags.textOf("to", "V", "the last version to read (default: the end, or 1 --backward)"),
    backward: Options.boolean("backward").pipe(Options.withDescription("newest first")),
    limit: Flags.textOf("limit", "N", "at most N events"),
    stream: Args.text({ name: "STREAM" }).pipe(Args.withDescription("the id of the stream to read"))
  },
  (flags) => {
    const command = "chronicle read"
    const parse = Effect.all({
      from: Flags.wholeNumber(command, "from", flags.from, 0),
      to: Flags.wholeNumber(command, "to", flags.to, 0),
      limit: Flags.wholeNumber(command, "limit", flags.limit, 1)
    })
    return checkedOnStore(command, flags, "read", parse, ({ from, limit, to }) =>
      Effect.gen(function* () {
        const options: EventStore.ReadStreamOptions = {
          direction: flags.backward ? "backward" : "forward",
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(limit === undefined ? {} : { maxCount: limit })
        }
        const printed = yield* printEvents(EventStore.readStream(flags.stream, options), flags.json, false)
        if (printed === 0 && !flags.json)
          yield* Output.print(Output.dim(`no events in ${JSON.stringify(flags.stream)}`))
      })
    )
  }
).pipe(
  Command.withDescription(
    description(
      "One stream's events, oldest first (--backward: newest first), with their version, position, type, time and data.",
      "chronicle read BankAccount-ACC-001 --db app.db --from 2 --limit 10",
      "chronicle read BankAccount-ACC-001 --db app.db --backward --limit 1 --json"
    )
  )
)

/** `chronicle tail`. */
export const tail = Command.make(
  "tail",
  {
    ...Flags.store,
    json: Flags.json,
    after: Flags.textOf("after", "POS", "start after this position (default: from the first event)"),
    follow: Options.boolean("follow").pipe(
      Options.withAlias("f"),
      Options.withDescription("stay live: print events as they are appended, until Ctrl-C (which exits with 0)")
    ),
    type: Options.text("type").pipe(
      Options.withPseudoName("T"),
      Options.withDescription("only events of type T (repeat for several types)"),
      Options.repeated
    ),
    streamPrefix: Flags.textOf("stream-prefix", "P", "only events of streams whose id starts with P"),
    limit: Flags.textOf("limit", "N", "stop after N events")
  },
  (flags) => {
    const command = "chronicle tail"
    const parse = Effect.all({
      after: Flags.position(command, "after", flags.after),
      limit: Flags.wholeNumber(command, "limit", flags.limit, 1)
    })
    return checkedOnStore(command, flags, "read", parse, ({ after, limit }) =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const types = new Set(flags.type)
        const prefix = Option.getOrUndefined(flags.streamPrefix)
        const options = after === undefined ? {} : { after }
        const source = flags.follow
          ? store.subscribe(options).pipe(Stream.interruptWhen(Program.interrupted))
          : store.readAll(options)
        const selected = source.pipe(
          Stream.filter(
            (e) => (types.size === 0 || types.has(e.type)) && (prefix === undefined || e.streamId.startsWith(prefix))
          ),
          (events) => (limit === undefined ? events : Stream.take(events, limit))
        )
        const printed = yield* printEvents(selected, flags.json, true)
        if (printed === 0 && !flags.json && !flags.follow) yield* Output.print(Output.dim("no events"))
      })
    )
  }
).pipe(
  Command.withDescription(
    description(
      "Every stream's events in the global order, after a position; --follow stays live, like tail -f.",
      "chronicle tail --db app.db --after 1200 --type MoneyDeposited --type MoneyWithdrawn",
      "chronicle tail --db app.db --follow --stream-prefix BankAccount- --json"
    )
  )
)
