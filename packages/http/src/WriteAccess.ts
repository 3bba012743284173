/**
 * The guard of every write: a bearer token when the server requires one (401 without it, 403 with a wrong one), and
 * 403 on a read-only server. Its implementation is the server's (`Server.layer`), from its options.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { Schema } from "effect"
import { Forbidden, Unauthorized } from "./Problem.js"

/**
 * The write guard's tag, on every endpoint that writes.
 *
 * @since 0.1.0
 * @category tags
 */
export class WriteAccess extends HttpApiMiddleware.Tag<WriteAccess>()("@chronicle/http/WriteAccess", {
  failure: Schema.Union(Unauthorized, Forbidden),
  security: { bearer: HttpApiSecurity.bearer }
}) {}
