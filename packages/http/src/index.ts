/**
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as ApiModel from "./ApiModel.js"
/**
 * @since 0.1.0
 */
export * as ChronicleApi from "./ChronicleApi.js"
/**
 * @since 0.1.0
 */
export * as ChronicleClient from "./ChronicleClient.js"
/**
 * @since 0.1.0
 */
export * as Deciders from "./Deciders.js"
/**
 * @since 0.1.0
 */
export * as Problem from "./Problem.js"
/**
 * @since 0.1.0
 */
export * as RequestBody from "./RequestBody.js"
/**
 * @since 0.1.0
 */
export * as Server from "./Server.js"
/**
 * @since 0.1.0
 */
export * as WriteAccess from "./WriteAccess.js"
