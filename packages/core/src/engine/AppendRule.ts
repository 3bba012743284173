/**
 * The append rule: what an append does, decided once, purely, for every store. An engine gathers the facts (the
 * stream's current version and, when the batch carries its own ids, the stored events with those ids), asks
 * `decide`, and does the I/O the decision names — so every store answers every append alike.
 *
 * In order:
 * 1. a batch whose caller-chosen ids are all stored already in the stream, in the same order at consecutive
 *    versions with the same type and data (compared as JSON), is a **repeat**: it is answered with the first append's
 *    result and writes nothing, even when its expected version is stale by now (a client that lost the answer can
 *    retry safely); any other overlap with stored ids is a **duplicate** (`DuplicateEventId`); metadata is not
 *    compared;
 * 2. otherwise the expected version is checked against the current one: a mismatch is a **conflict**
 *    (`WrongExpectedVersion` with the actual version);
 * 3. otherwise the batch is **written** at versions `current + 1 ...`; an empty batch writes nothing.
 *
 * An import (`decideImport`) is judged by the same rule, and stricter: its events carry their own versions, so a
 * stored event with the same id is a repeat only at the same version.
 *
 * @since 0.1.0
 */
import type { AppendResult } from "../EventStore.js"
import { DuplicateEventId, WrongExpectedVersion } from "../EventStoreError.js"
import * as ExpectedVersion from "../ExpectedVersion.js"
import { jsonEquals } from "../internal/json.js"
import type { ImportRun } from "../internal/validate.js"
import type { Position } from "../Position.js"
import { ImportConflict } from "../StoreAdmin.js"
import type { AppendRequest, PreparedEvent } from "./StorageEngine.js"

/**
 * A stored event of the stream that carries one of the batch's ids: what the rule compares a repeat with. `data` is
 * the stored JSON, parsed.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredEvent {
  readonly id: string
  readonly version: number
  readonly position: Position
  readonly type: string
  readonly data: unknown
}

/**
 * What an engine knows about the stream when it appends, read inside the append's transaction.
 *
 * @since 0.1.0
 * @category models
 */
export interface Facts {
  /** The stream's current version: 0 when it has no events. */
  readonly version: number
  /** The stream's events carrying any id of the batch (none unless `needsStoredIds`). */
  readonly stored: ReadonlyArray<StoredEvent>
}

/**
 * The rule's decision.
 *
 * - `Write`: write the batch at versions `version + 1 ...`;
 * - `Done`: answer `result` and write nothing (a repeat, or an empty batch whose expectation holds);
 * - `Conflict` and `Duplicate`: fail with `error`, writing nothing.
 *
 * @since 0.1.0
 * @category models
 */
export type Decision =
  | { readonly _tag: "Write"; readonly version: number }
  | { readonly _tag: "Done"; readonly result: AppendResult; readonly repeat: boolean }
  | { readonly _tag: "Conflict"; readonly error: WrongExpectedVersion }
  | { readonly _tag: "Duplicate"; readonly error: DuplicateEventId }

/**
 * Whether the engine must look up stored events by the batch's ids (only caller-chosen ids can repeat). Batches carry
 * ids on every event or on none, so the first event tells, and an id-less batch costs no lookup.
 *
 * @since 0.1.0
 * @category predicates
 */
export const needsStoredIds = (request: Pick<AppendRequest, "events">): boolean =>
  request.events[0]?.idProvided === true

/**
 * The stream versions an expectation accepts, as an inclusive range `[min, max]`: for an engine that checks the
 * expectation inside its write statement (`version BETWEEN min AND max`) instead of reading the version first.
 * `matches(expected, v)` holds exactly when `min <= v <= max`; `any` is `[0, Number.MAX_SAFE_INTEGER]`.
 *
 * @since 0.1.0
 * @category decisions
 */
export const acceptedVersions = (expected: ExpectedVersion.ExpectedVersion): readonly [min: number, max: number] => {
  switch (expected._tag) {
    case "Any":
      return [0, Number.MAX_SAFE_INTEGER]
    case "NoStream":
      return [0, 0]
    case "StreamExists":
      return [1, Number.MAX_SAFE_INTEGER]
    case "Exact":
      return [expected.version, expected.version]
  }
}

/**
 * Decides an append from the facts.
 *
 * @since 0.1.0
 * @category decisions
 */
export const decide = (request: AppendRequest, facts: Facts): Decision => {
  if (facts.stored.length > 0 && needsStoredIds(request)) {
    const repeat = repeatOf(request.streamId, request.events, facts.stored)
    if (repeat instanceof DuplicateEventId) return { _tag: "Duplicate", error: repeat }
    return { _tag: "Done", result: repeat, repeat: true }
  }
  if (!ExpectedVersion.matches(request.expectedVersion, facts.version)) {
    return {
      _tag: "Conflict",
      error: new WrongExpectedVersion({
        streamId: request.streamId,
        expected: ExpectedVersion.format(request.expectedVersion),
        actual: facts.version
      })
    }
  }
  if (request.events.length === 0) {
    return { _tag: "Done", result: { version: facts.version, positions: [] }, repeat: false }
  }
  return { _tag: "Write", version: facts.version }
}

/** The original result of a batch whose ids are stored, or why the batch is not a repeat of it. */
const repeatOf = (
  streamId: string,
  batch: ReadonlyArray<PreparedEvent>,
  stored: ReadonlyArray<StoredEvent>
): AppendResult | DuplicateEventId => {
  const byId = new Map(stored.map((e) => [e.id, e]))
  const duplicate = (eventId: string, reason: string) => new DuplicateEventId({ streamId, eventId, reason })
  const first = byId.get(batch[0]!.id)
  if (first === undefined) {
    const repeated = batch.find((e) => byId.has(e.id))!
    return duplicate(repeated.id, "the batch mixes new events with events stored before")
  }
  const positions: Array<Position> = []
  for (let i = 0; i < batch.length; i++) {
    const event = batch[i]!
    const match = byId.get(event.id)
    if (match === undefined) return duplicate(first.id, "the batch mixes new events with events stored before")
    if (match.version !== first.version + i) {
      return duplicate(event.id, "the stored events with these ids are not in the batch's order")
    }
    if (match.type !== event.type || !jsonEquals(match.data, JSON.parse(event.dataJson))) {
      return duplicate(event.id, "the same id was stored with a different payload")
    }
    positions.push(match.position)
  }
  return { version: first.version + batch.length - 1, positions }
}

/**
 * One imported run of a stream (consecutive versions from `firstVersion`, with their own ids), validated.
 *
 * @since 0.1.0
 * @category models
 */
export type { ImportRun } from "../internal/validate.js"

/**
 * The rule's decision on an imported run.
 *
 * - `Write`: the first `skipped` events are stored already (repeats); write the rest, `events`, at versions
 *   `version + 1 ...`;
 * - `Skip`: every event is stored already; write nothing;
 * - `Conflict`: the run meets another history; fail with `error`, writing nothing.
 *
 * @since 0.1.0
 * @category models
 */
export type ImportDecision =
  | {
      readonly _tag: "Write"
      readonly version: number
      readonly events: ReadonlyArray<PreparedEvent>
      readonly skipped: number
    }
  | { readonly _tag: "Skip"; readonly skipped: number }
  | { readonly _tag: "Conflict"; readonly error: ImportConflict }

/** The first event of a run's stored part that is not stored as it is (the repeat check failed): why, at its index. */
const firstMismatch = (
  events: ReadonlyArray<PreparedEvent>,
  firstVersion: number,
  stored: ReadonlyArray<StoredEvent>,
  conflict: (index: number, reason: string) => ImportDecision
): ImportDecision => {
  const byId = new Map(stored.map((event) => [event.id, event]))
  // Stryker disable next-line EqualityOperator: the loop always returns early (see the end of the function).
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    const match = byId.get(event.id)
    if (match === undefined) return conflict(i, `the stream holds another event at version ${firstVersion + i}`)
    if (match.version !== firstVersion + i)
      return conflict(i, "the event id is stored in the stream at another version")
    if (match.type !== event.type || !jsonEquals(match.data, JSON.parse(event.dataJson))) {
      return conflict(i, "the same id was stored with a different payload")
    }
  }
  // Not reached: a part whose every event is stored as it is at its version is a repeat, which `decide` finds. Kept so
  // that a disagreement between the two would still be a conflict, never a silent skip.
  // Stryker disable next-line all: unreachable, as above
  return conflict(0, `the stream holds other events at versions ${firstVersion} to ${firstVersion + events.length - 1}`)
}

/**
 * Decides an imported run from the facts (the stream's version and its stored events carrying the run's ids), with
 * `decide` as the judge. The run splits at the stream's version: the events at versions the stream has reached must
 * each be stored there already (`decide` on them, expecting the version before the run, must find a repeat ending at
 * the same version); the others are appended expecting the stream's version, where `decide` must say `Write` (a
 * repeat there means their ids are stored at other versions).
 *
 * @since 0.1.0
 * @category decisions
 */
export const decideImport = (run: ImportRun, facts: Facts): ImportDecision => {
  const { events, firstVersion, streamId } = run
  const known = Math.min(events.length, Math.max(0, facts.version - firstVersion + 1))
  const conflict = (index: number, reason: string): ImportDecision => ({
    _tag: "Conflict",
    error: new ImportConflict({ streamId, version: firstVersion + index, eventId: events[index]!.id, reason })
  })
  const storedFor = (part: ReadonlyArray<PreparedEvent>) => {
    const ids = new Set(part.map((event) => event.id))
    return facts.stored.filter((event) => ids.has(event.id))
  }
  if (known > 0) {
    const old = events.slice(0, known)
    const decision = decide(
      // Stryker disable next-line ArithmeticOperator: the stored part passes only as a repeat, which `decide` finds
      // whatever version is expected; any other decision sends it to `firstMismatch`.
      { streamId, events: old, expectedVersion: ExpectedVersion.exact(firstVersion - 1) },
      { version: facts.version, stored: storedFor(old) }
    )
    // Stored as it is: a repeat (the only Done of a non-empty part) ending where the run's stored part ends.
    if (decision._tag !== "Done" || decision.result.version !== firstVersion + known - 1) {
      return firstMismatch(old, firstVersion, facts.stored, conflict)
    }
  }
  if (known === events.length) return { _tag: "Skip", skipped: known }
  const fresh = events.slice(known)
  const decision = decide(
    { streamId, events: fresh, expectedVersion: ExpectedVersion.exact(firstVersion + known - 1) },
    { version: facts.version, stored: storedFor(fresh) }
  )
  switch (decision._tag) {
    case "Write":
      return { _tag: "Write", version: decision.version, events: fresh, skipped: known }
    case "Conflict":
      return conflict(
        known,
        // Stryker disable next-line ArithmeticOperator: a gap means the run starts past the stream's end: `known` is 0
        `the stream is at version ${facts.version}, so version ${firstVersion + known} would leave a gap`
      )
    case "Duplicate": {
      const index = fresh.findIndex((event) => event.id === decision.error.eventId)
      return conflict(known + Math.max(0, index), decision.error.reason)
    }
    case "Done":
      return conflict(known, "the event id is stored in the stream at another version")
  }
}
