import { z } from 'zod';
import { HttpError } from '../shared/errors';
import type { FieldProblem } from '../shared/validate';

/**
 * How the fibre request bodies are checked, in two steps with two answers. A rule on
 * one field is written so the published schema states it (a pattern or an enum, never a
 * refinement, which the JSON Schema in /openapi.json drops): breaking it is a malformed
 * request, 400, and a request generated from the document never does. A rule between
 * fields (two spellings that disagree, a product that connects two points while the
 * request names one) or against the catalogue is one no schema there can state: the
 * request is well-formed but cannot be done as asked, 422 naming the field.
 */

// Something besides white space, and no NUL (refused everywhere; said here because a
// pattern replaces the document's default one that says it).
const SOME_TEXT = /^[^\u0000]*[^\s\u0000][^\u0000]*$/;

/**
 * A required name or id, trimmed. `.trim().min(1)` would publish `minLength: 1` and
 * then refuse `" "`; the pattern publishes the rule itself.
 */
export function requiredText(schema: z.ZodString = z.string()): z.ZodString {
  return schema.regex(SOME_TEXT, 'is required').trim();
}

/** The answer to a well-formed request whose fields contradict each other or the catalogue; the body is a 400's, so a client reads both alike. */
export function unprocessable(problems: FieldProblem[]): HttpError {
  const cause = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  const message = [...new Set(problems.map((p) => p.message))].join(' ');
  return new HttpError(422, cause, message, { errors: problems });
}
