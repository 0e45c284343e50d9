import { PERSONNUMMER_MESSAGE } from '../../domain/shared/swedishIdentity';
import { HttpError } from '../shared/errors';
import { failureMap } from '../shared/updateWithStart';
import type { FieldProblem } from '../shared/validate';

/** The sales-lead workflow's failures as HTTP answers: only the reused key, which every family maps alike. */
export const httpErrorOf = failureMap('lead', {});

/**
 * Seed 000's 400, FAILED (the error handler adds the status): every wrong field named in
 * `errors`, and in the cause, where the identity-number problem is the seed's own
 * sentence, "Social security number is missing or incorrect.", without its path.
 */
export function leadBadRequest(problems: FieldProblem[]): HttpError {
  const cause = problems.map((p) => (p.message === PERSONNUMMER_MESSAGE ? p.message : `${p.field}: ${p.message}`)).join('; ');
  const message = [...new Set(problems.map((p) => p.message))].join(' ');
  return new HttpError(400, cause, message, { errors: problems });
}
