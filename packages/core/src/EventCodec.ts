/**
 * Encodes domain events (a Schema union of tagged structs) to stored `{ type, data }` JSON and decodes them back,
 * upgrading older shapes through registered upcasters.
 *
 * @since 0.1.0
 */
import { Chunk, Either, ParseResult, Schema, SchemaAST, Stream } from "effect"
import { EventDecodeError, InvalidEvent } from "./EventStoreError.js"
import * as PlainEncoder from "./internal/plainEncoder.js"
import type { EventMetadata, NewEvent, RecordedEvent } from "./RecordedEvent.js"

/**
 * Upgrades a stored event of an older shape (or an older type name) to a current event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Upcaster<E> {
  /** The stored type name this upcaster reads. */
  readonly type: string
  /** Decodes the stored data (without `_tag`) of the older shape; the result is handed to `upgrade`. */
  readonly decode: (data: unknown) => Either.Either<E, ParseResult.ParseError>
}

/**
 * Registers an older shape of an event: data stored under `type` that fits `schema` is upgraded by `upgrade`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const upcaster = <A, I, E>(type: string, schema: Schema.Schema<A, I>, upgrade: (old: A) => E): Upcaster<E> => {
  const decode = Schema.decodeUnknownEither(schema)
  return { type, decode: (data) => Either.map(decode(data), upgrade) }
}

/**
 * A codec for the event union `E`.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventCodec<E extends { readonly _tag: string }> {
  /** The event schema the codec was built from. */
  readonly schema: Schema.Schema<E, unknown>
  /** The stored type names this codec reads: the union's tags and the types upcasters read. */
  readonly types: ReadonlySet<string>
  /** Encodes an event to the `{ type, data }` form the store keeps; fails on an event that does not fit its schema. */
  readonly encode: (event: E, streamId?: string, index?: number) => Either.Either<NewEvent, InvalidEvent>
  /** Encodes a batch, with optional metadata and ids for every event. */
  readonly encodeAll: (
    events: ReadonlyArray<E>,
    options?: { readonly streamId?: string; readonly metadata?: EventMetadata }
  ) => Either.Either<Array<NewEvent>, InvalidEvent>
  /** Decodes the data of a recorded event; current shapes first, then upcasters registered for its type. */
  readonly decode: (event: RecordedEvent) => Either.Either<RecordedEvent<E>, EventDecodeError>
  /** Decodes only the data (for callers that do not need the envelope). */
  readonly decodeData: (event: RecordedEvent) => Either.Either<E, EventDecodeError>
}

/** The `_tag` literals of a union of tagged structs or classes. */
const tagsOf = (ast: SchemaAST.AST): Array<string> => {
  switch (ast._tag) {
    case "Union":
      return ast.types.flatMap(tagsOf)
    case "Transformation":
      return tagsOf(ast.to)
    case "Refinement":
      return tagsOf(ast.from)
    case "Suspend":
      return tagsOf(ast.f())
    case "Declaration":
      return ast.typeParameters.flatMap(tagsOf)
    case "TypeLiteral": {
      const tag = ast.propertySignatures.find((p) => p.name === "_tag")
      return tag !== undefined && SchemaAST.isLiteral(tag.type) && typeof tag.type.literal === "string"
        ? [tag.type.literal]
        : []
    }
    default:
      return []
  }
}

const formatError = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ")

const decodeFailure = (event: RecordedEvent, reason: string) =>
  new EventDecodeError({
    streamId: event.streamId,
    version: event.version,
    position: event.position,
    type: event.type,
    reason
  })

/**
 * Builds a codec from a Schema union of tagged events (`Schema.TaggedStruct` or `Schema.TaggedClass` members), with
 * optional upcasters for older shapes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E extends { readonly _tag: string }, I extends { readonly _tag: string }>(
  schema: Schema.Schema<E, I>,
  options?: { readonly upcasters?: ReadonlyArray<Upcaster<E>> }
): EventCodec<E> => {
  const encodeEvent = Schema.encodeEither(schema)
  const decodeEvent = Schema.decodeUnknownEither(schema)
  // Each member of the union decodes and encodes on its own, found by tag: a third cheaper than the union's search. A
  // tag two members share (two shapes of one event) is left to the union, which tries both.
  const members = new Map<
    string,
    {
      readonly decode: (input: unknown) => Either.Either<E, ParseResult.ParseError>
      readonly encode: (event: E) => Either.Either<I, ParseResult.ParseError>
      /** The fast path of a flat struct (`PlainEncoder`): the event's data, or `undefined` for the parser to word. */
      readonly plain: ((event: E) => Record<string, unknown> | undefined) | undefined
    }
  >()
  const shared = new Set<string>()
  // Stryker disable next-line ArrayDeclaration,BlockStatement: the decoders by tag only save time (the union, which
  // every tag without one goes to, decodes and encodes the same).
  for (const ast of SchemaAST.isUnion(schema.ast) ? schema.ast.types : [schema.ast]) {
    const [tag, ...more] = tagsOf(ast)
    if (tag === undefined || shared.has(tag)) continue
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a member of several tags decodes each of them,
    // so it could stand under its first tag as well; left to the union, it only costs time.
    if (more.length > 0) continue
    if (members.has(tag)) {
      members.delete(tag)
      shared.add(tag)
      continue
    }
    const member = Schema.make<E, I, never>(ast)
    members.set(tag, {
      decode: Schema.decodeUnknownEither(member),
      encode: Schema.encodeEither(member),
      plain: PlainEncoder.make(ast)
    })
  }
  const upcasters = new Map<string, Array<Upcaster<E>>>()
  for (const u of options?.upcasters ?? []) {
    const list = upcasters.get(u.type) ?? []
    list.push(u)
    upcasters.set(u.type, list)
  }

  const encode = (event: E, streamId = "", index = 0): Either.Either<NewEvent, InvalidEvent> => {
    const member = members.get(event?._tag)
    const data = member?.plain?.(event)
    // Stryker disable next-line ConditionalExpression: the fast path only saves time; the parser encodes the same
    // (PlainEncoder.test holds the two to the same output).
    if (data !== undefined) return Either.right({ type: event._tag, data })
    return Either.match((member?.encode ?? encodeEvent)(event), {
      onLeft: (error) => Either.left(new InvalidEvent({ streamId, index, reason: formatError(error) })),
      onRight: ({ _tag, ...data }) => Either.right({ type: _tag, data })
    })
  }

  const encodeAll = (
    events: ReadonlyArray<E>,
    opts?: { readonly streamId?: string; readonly metadata?: EventMetadata }
  ): Either.Either<Array<NewEvent>, InvalidEvent> => {
    const out: Array<NewEvent> = []
    for (let i = 0; i < events.length; i++) {
      const encoded = encode(events[i]!, opts?.streamId, i)
      if (Either.isLeft(encoded)) return Either.left(encoded.left)
      out.push(opts?.metadata === undefined ? encoded.right : { ...encoded.right, metadata: opts.metadata })
    }
    return Either.right(out)
  }

  const decodeData = (event: RecordedEvent): Either.Either<E, EventDecodeError> => {
    const data = event.data
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return Either.left(decodeFailure(event, "the stored data is not a JSON object"))
    }
    const current = (members.get(event.type)?.decode ?? decodeEvent)({ ...data, _tag: event.type })
    if (Either.isRight(current)) return Either.right(current.right)
    for (const u of upcasters.get(event.type) ?? []) {
      const upgraded = u.decode(data)
      if (Either.isRight(upgraded)) return Either.right(upgraded.right)
    }
    return Either.left(decodeFailure(event, formatError(current.left)))
  }

  const decode = (event: RecordedEvent): Either.Either<RecordedEvent<E>, EventDecodeError> =>
    Either.map(decodeData(event), (data) => ({ ...event, data }))

  const types = new Set([...tagsOf(schema.ast), ...upcasters.keys()])
  return { schema: schema as unknown as Schema.Schema<E, unknown>, types, encode, encodeAll, decode, decodeData }
}

/**
 * Decodes a stream of recorded events, chunk by chunk; the first event that does not decode fails the stream.
 *
 * @since 0.1.0
 * @category combinators
 */
export const decodeStream =
  <E extends { readonly _tag: string }>(codec: EventCodec<E>) =>
  <Err, R>(stream: Stream.Stream<RecordedEvent, Err, R>): Stream.Stream<RecordedEvent<E>, Err | EventDecodeError, R> =>
    Stream.mapChunksEffect(stream, (chunk) => {
      const out: Array<RecordedEvent<E>> = []
      for (const event of chunk) {
        const decoded = codec.decode(event)
        if (Either.isLeft(decoded)) return Either.left(decoded.left)
        out.push(decoded.right)
      }
      return Either.right(Chunk.unsafeFromArray(out))
    })
