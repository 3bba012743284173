/**
 * Property-test helpers a user runs on their own decider: arbitrary command sequences checked against the laws that
 * make replay trustworthy.
 *
 * @since 0.1.0
 */
import { isDeepStrictEqual } from "node:util"
import { type Decider, type EventCodec, Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import { Either, FastCheck } from "effect"

/**
 * What the laws need: the decider, an arbitrary of single commands, and optionally the codec and a state equality.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<C, E extends { readonly _tag: string }, S, Err> {
  readonly decider: Decider.Decider<C, E, S, Err>
  readonly command: FastCheck.Arbitrary<C>
  /** When given, every accepted event must survive encode then decode. */
  readonly codec?: EventCodec.EventCodec<E>
  /** State equality; structural (`node:util` isDeepStrictEqual) by default. */
  readonly equals?: (a: S, b: S) => boolean
  /** Longest command sequence generated (default 30). */
  readonly maxCommands?: number
}

/**
 * A law that did not hold, with the step where it broke.
 *
 * @since 0.1.0
 * @category errors
 */
export class LawViolation extends Error {
  constructor(
    readonly law: string,
    readonly step: number,
    detail: string
  ) {
    super(`Decider law "${law}" broke at command #${step}: ${detail}`)
    this.name = "LawViolation"
  }
}

/** A text that changes when anything reachable from `value` changes (class instances, Maps, Sets and BigInts too). */
const fingerprint = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return `${v}n`
    if (v instanceof Map) return { map: [...v.entries()] }
    if (v instanceof Set) return { set: [...v.values()] }
    return v
  }) ?? String(value)

const fakeEnvelope = (type: string, data: unknown, version: number): RecordedEvent.RecordedEvent => ({
  id: "00000000-0000-4000-8000-000000000000",
  streamId: "laws" as StreamId.StreamId,
  version,
  position: Position.start,
  type,
  data,
  metadata: {},
  tags: [],
  recordedAt: new Date(0)
})

/**
 * Runs one command sequence and checks, at every step:
 * - purity: deciding the same command on the same state twice gives equal results, and `decide` leaves the state
 *   unchanged, as far as its JSON form shows (a rejected command changes nothing);
 * - replay: folding every accepted event from the initial state equals the state reached step by step;
 * - split: folding a prefix and then the rest equals folding everything;
 * - codec: every accepted event survives encode then decode (when a codec is given).
 * Throws `LawViolation` when a law breaks; returns the accepted events.
 *
 * @since 0.1.0
 * @category laws
 */
export const run = <C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err>,
  commands: ReadonlyArray<C>
): ReadonlyArray<E> => {
  const { decider } = options
  const equals = options.equals ?? isDeepStrictEqual
  const fold = (events: ReadonlyArray<E>, from: S = decider.initialState) => events.reduce(decider.evolve, from)
  const events: Array<E> = []
  let state = decider.initialState
  commands.forEach((command, step) => {
    const before = fingerprint(state)
    const first = decider.decide(command, state)
    const second = decider.decide(command, state)
    if (!isDeepStrictEqual(first, second)) throw new LawViolation("purity", step, "decide gave two different answers")
    if (fingerprint(state) !== before) throw new LawViolation("purity", step, "decide changed the state it was given")
    if (Either.isLeft(first)) return
    for (const event of first.right) {
      state = decider.evolve(state, event)
      events.push(event)
      if (options.codec !== undefined) {
        const encoded = options.codec.encode(event)
        if (Either.isLeft(encoded)) throw new LawViolation("codec", step, encoded.left.message)
        const stored = JSON.parse(JSON.stringify(encoded.right.data)) as unknown
        const decoded = options.codec.decodeData(fakeEnvelope(encoded.right.type, stored, events.length))
        if (Either.isLeft(decoded)) throw new LawViolation("codec", step, decoded.left.message)
        if (!isDeepStrictEqual(decoded.right, event)) {
          throw new LawViolation(
            "codec",
            step,
            `${JSON.stringify(event)} came back as ${JSON.stringify(decoded.right)}`
          )
        }
      }
    }
    if (!equals(fold(events), state)) throw new LawViolation("replay", step, "folding the events gives another state")
  })
  for (let k = 0; k <= events.length; k++) {
    if (!equals(fold(events.slice(k), fold(events.slice(0, k))), state)) {
      throw new LawViolation("split", k, "folding a prefix and then the rest gives another state")
    }
  }
  return events
}

/**
 * The laws as a fast-check property over arbitrary command sequences.
 *
 * @since 0.1.0
 * @category laws
 */
export const property = <C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err>
): FastCheck.IPropertyWithHooks<[Array<C>]> =>
  FastCheck.property(FastCheck.array(options.command, { maxLength: options.maxCommands ?? 30 }), (commands) => {
    run(options, commands)
  })

/**
 * Checks the laws on `numRuns` (default 200) arbitrary command sequences; throws with a shrunk counterexample.
 *
 * @since 0.1.0
 * @category laws
 */
export const check = <C, E extends { readonly _tag: string }, S, Err>(
  options: Options<C, E, S, Err> & { readonly numRuns?: number; readonly seed?: number }
): void =>
  FastCheck.assert(property(options), {
    numRuns: options.numRuns ?? 200,
    ...(options.seed === undefined ? {} : { seed: options.seed })
  })
