/**
 * `chronicle serve`: the HTTP API, its OpenAPI reference and the web console (`@chronicle/http`) over the store the
 * flags select, until interrupted. It registers the demo's `BankAccount` decider, so the console's time travel shows
 * an account's balance at each version. It serves an existing Chronicle database and never creates one.
 *
 * The `chronicle` bin's own module (not exported).
 */
import { BankAccount } from "@chronicle/bank-account"
import { Deciders, Server } from "@chronicle/http"
import { Command, Options } from "@effect/cli"
import { HttpServer } from "@effect/platform"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import * as Flags from "../Flags.js"
import * as Output from "../Output.js"
import { checkedOnStore, description } from "../Run.js"

/** The environment variable that gives the token when `--token` is not given. */
export const tokenVariable = "CHRONICLE_TOKEN"

/** The demo's decider, for time travel. */
const bankAccount = Deciders.register({
  name: "BankAccount",
  streamPrefix: BankAccount.streamPrefix,
  decider: BankAccount.decider,
  codec: BankAccount.codec,
  state: BankAccount.State
})

/** `chronicle serve`. */
export const serve = Command.make(
  "serve",
  {
    ...Flags.store,
    host: Flags.textOf("host", "HOST", `the address to listen on (default ${Server.defaultHost}: this machine only)`),
    port: Flags.textOf("port", "N", `the port (default ${Server.defaultPort}; 0 picks a free one)`),
    token: Flags.textOf(
      "token",
      "T",
      `the bearer token writes need (default: $${tokenVariable}); required for writes when --host is not loopback`
    ),
    readOnly: Options.boolean("read-only").pipe(Options.withDescription("refuse every write")),
    cors: Flags.textOf("cors", "ORIGIN", "allow browsers on ORIGIN to call the API (CORS); none by default"),
    maxBody: Flags.textOf("max-body", "BYTES", "the largest request body taken (default 1048576)")
  },
  (flags) =>
    checkedOnStore(
      "chronicle serve",
      flags,
      // A database that exists: serving a mistyped path would create an empty store and answer 404 for everything,
      // so a missing file is one line (no such file) and nothing is created. Appends through the API still write.
      "read",
      Effect.all([
        Flags.wholeNumber("chronicle serve", "port", flags.port, 0, 65535),
        Flags.wholeNumber("chronicle serve", "max-body", flags.maxBody, 1)
      ]),
      ([port, maxBody]) => {
        const token = Option.orElse(flags.token, () => Option.fromNullable(process.env[tokenVariable] || undefined))
        const options: Server.Options = {
          host: Option.getOrElse(flags.host, () => Server.defaultHost),
          port: port ?? Server.defaultPort,
          readOnly: flags.readOnly,
          deciders: [bankAccount],
          ...(Option.isSome(token) ? { token: Redacted.make(token.value) } : {}),
          ...(Option.isSome(flags.cors) ? { corsOrigins: [flags.cors.value] } : {}),
          ...(maxBody === undefined ? {} : { maxBodyBytes: maxBody })
        }
        return Effect.scoped(
          Effect.gen(function* () {
            const context = yield* Layer.build(Server.layer(options))
            const address = Context.get(context, HttpServer.HttpServer).address as HttpServer.TcpAddress
            const url = `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`
            yield* Output.print(
              `chronicle serve: listening on ${url} (console at /, API reference at /docs); Ctrl-C stops`
            )
            return yield* Effect.never
          })
        )
      }
    )
).pipe(
  Command.withDescription(
    description(
      "Serves the store over HTTP until interrupted: the API (streams, the global order, live events, stats, checkpoints), its OpenAPI document (/openapi.json) and reference (/docs), and the web console (/). Listens on 127.0.0.1 unless --host says otherwise; writes then need --token.",
      "chronicle serve --db app.db",
      'chronicle serve --db app.db --host 0.0.0.0 --token "$CHRONICLE_TOKEN"'
    )
  )
)
