/**
 * The typed client of the API for Effect applications: every endpoint as a method, its request and response checked
 * by the same Schemas as the server's.
 *
 * @since 0.1.0
 */
import { HttpApiClient } from "@effect/platform"
import { ChronicleApi } from "./ChronicleApi.js"

/**
 * A client of the server at `baseUrl` (e.g. `http://127.0.0.1:4400`); it needs an `HttpClient` (`FetchHttpClient.layer`,
 * `NodeHttpClient.layer`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (baseUrl: string) => HttpApiClient.make(ChronicleApi, { baseUrl })
