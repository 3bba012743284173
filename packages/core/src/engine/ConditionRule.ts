/**
 * The rule of appends to several streams under a condition (Dynamic Consistency Boundary), decided once, purely, for
 * every store. An engine gathers, inside one transaction, each stream's `AppendRule.Facts` and the first stored event
 * matching the condition's query after its position, asks `decideMany`, and does what it says:
 *
 * 1. each stream is judged by `AppendRule.decide`: a conflict or a duplicate fails the whole append;
 * 2. when every stream's batch is a repeat of one stored before, the append is answered with the stored results and
 *    the condition is not looked at (its own events, stored by the first try, match it: a client that lost the answer
 *    can retry safely);
 * 3. otherwise an event matching the condition fails the append (`AppendConditionFailed`, naming that event);
 * 4. otherwise each stream's batch is written (or not, when its decision is `Done`), in the order given.
 *
 * @since 0.1.0
 */
import type { AppendResult } from "../EventStore.js"
import { AppendConditionFailed, type DuplicateEventId, type WrongExpectedVersion } from "../EventStoreError.js"
import type { RecordedEvent } from "../RecordedEvent.js"
import * as AppendRule from "./AppendRule.js"
import type { AppendRequest } from "./StorageEngine.js"

/**
 * The decision on a conditional or multi-stream append.
 *
 * - `Write`: do each stream's decision (`Write` or `Done`), in order;
 * - `Done`: every batch is a repeat: answer `results` and write nothing;
 * - `Fail`: fail with `error`, writing nothing.
 *
 * @since 0.1.0
 * @category models
 */
export type Decision =
  | { readonly _tag: "Write"; readonly decisions: ReadonlyArray<AppendRule.Decision> }
  | { readonly _tag: "Done"; readonly results: ReadonlyArray<AppendResult> }
  | {
      readonly _tag: "Fail"
      readonly error: WrongExpectedVersion | DuplicateEventId | AppendConditionFailed
    }

/**
 * The error naming the first event that matched the condition.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (event: Pick<RecordedEvent, "position" | "id" | "type" | "streamId">): AppendConditionFailed =>
  new AppendConditionFailed({
    position: event.position,
    eventId: event.id,
    type: event.type,
    streamId: event.streamId
  })

/**
 * Decides an append to several streams from each stream's facts (in the order of `requests`) and `conflicting`, the
 * first event matching the condition after its position (`undefined` when none does, or there is no condition).
 *
 * @since 0.1.0
 * @category decisions
 */
export const decideMany = (
  requests: ReadonlyArray<AppendRequest>,
  facts: ReadonlyArray<AppendRule.Facts>,
  conflicting: Pick<RecordedEvent, "position" | "id" | "type" | "streamId"> | undefined
): Decision => {
  const decisions: Array<AppendRule.Decision> = new Array(requests.length)
  let repeats = requests.length > 0
  for (let i = 0; i < requests.length; i++) {
    const decision = AppendRule.decide(requests[i]!, facts[i]!)
    if (decision._tag === "Conflict" || decision._tag === "Duplicate") return { _tag: "Fail", error: decision.error }
    if (decision._tag !== "Done" || !decision.repeat) repeats = false
    decisions[i] = decision
  }
  if (repeats) {
    return { _tag: "Done", results: decisions.map((d) => (d as Extract<AppendRule.Decision, { _tag: "Done" }>).result) }
  }
  if (conflicting !== undefined) return { _tag: "Fail", error: failure(conflicting) }
  return { _tag: "Write", decisions }
}
