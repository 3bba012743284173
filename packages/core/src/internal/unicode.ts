/**
 * Well-formed Unicode: text every store keeps exactly.
 *
 * @internal
 */

/** A UTF-16 surrogate without its other half: text that has no faithful UTF-8 form (a database would rewrite it). */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Whether a string is well-formed Unicode: no lone surrogates, so every store keeps it exactly. */
export const isWellFormed = (text: string): boolean => !loneSurrogate.test(text)
