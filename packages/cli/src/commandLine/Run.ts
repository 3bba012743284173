/**
 * What every command does around its work: choose the store from the flags, check the flags it parses itself, and run
 * on the store's services.
 *
 * The `chronicle` bin's own module (not exported).
 */
import type { RecordedEvent } from "@chronicle/core"
import { ApiModel } from "@chronicle/http"
import { HelpDoc, Span } from "@effect/cli"
import { Effect, type Option } from "effect"
import type { Access, Services } from "./Backend.js"
import { type Failure, toFailure } from "./Flags.js"
import * as Stores from "./Stores.js"

/** Runs a program on the store the flags select. */
export const onStore = <A, E>(
  command: string,
  flags: { readonly db: Option.Option<string>; readonly pg: Option.Option<string> },
  access: Access,
  program: Effect.Effect<A, E, Services>
): Effect.Effect<A, Failure> =>
  Effect.flatMap(Stores.select(command, flags), (backend) => Effect.provide(program, backend.services(access))).pipe(
    Effect.mapError(toFailure)
  )

/**
 * Checks the flags a command parses itself (a usage error comes before any store is opened), then runs the program on
 * the store.
 */
export const checkedOnStore = <P, A, E, E2>(
  command: string,
  flags: { readonly db: Option.Option<string>; readonly pg: Option.Option<string> },
  access: Access,
  parse: Effect.Effect<P, E2>,
  program: (parsed: P) => Effect.Effect<A, E, Services>
): Effect.Effect<A, Failure> =>
  Effect.flatMap(Effect.mapError(parse, toFailure), (parsed) => onStore(command, flags, access, program(parsed)))

/** A command's description: what it does, then an example, for `--help`. */
export const description = (what: string, ...examples: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(what),
    HelpDoc.p(examples.length === 1 ? "Example:" : "Examples:"),
    ...examples.map((example) => HelpDoc.p(Span.code(`  $ ${example}`)))
  ])

/** An event as a JSON line of `read` and `tail`: its position, then the fields of the export format (the HTTP API's). */
export const eventJson: (event: RecordedEvent.RecordedEvent) => typeof ApiModel.Event.Type = ApiModel.eventOf

/** JSON text cut to `max` characters, for a table cell. */
export const clip = (value: unknown, max = 60): string => {
  const text = JSON.stringify(value) ?? ""
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
