/**
 * The bare baseline's event (de)serialization: the same Schema as `BankAccount.codec`, called directly, and the same
 * stored shape (`type` = the tag, `data` = the encoded fields as JSON text).
 *
 * @since 0.1.0
 */
import { BankAccount } from "@chronicle/bank-account"
import { Either, Schema } from "effect"

const encodeEvent = Schema.encodeEither(BankAccount.Event)
const decodeEvent = Schema.decodeUnknownEither(BankAccount.Event)

/**
 * An event as stored: its type and its data as JSON text.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPayload {
  readonly type: string
  readonly data: string
}

/**
 * Encodes an event with the bank account Schema and serializes its data; throws if it does not fit the Schema.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (event: BankAccount.Event): StoredPayload => {
  const encoded = encodeEvent(event)
  if (Either.isLeft(encoded)) throw new Error(`cannot encode: ${encoded.left.message}`)
  const { _tag, ...data } = encoded.right
  return { type: _tag, data: JSON.stringify(data) }
}

/**
 * Parses stored data and decodes it with the bank account Schema; throws if it does not decode.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (type: string, data: string): BankAccount.Event => {
  const decoded = decodeEvent({ ...JSON.parse(data), _tag: type })
  if (Either.isLeft(decoded)) throw new Error(`cannot decode: ${decoded.left.message}`)
  return decoded.right
}
