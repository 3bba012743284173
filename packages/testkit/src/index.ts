/**
 * @since 0.1.0
 */
export * as DeciderLaws from "./DeciderLaws.js"
export * as DeciderSpec from "./DeciderSpec.js"
export * from "./EventStoreSuite.js"
