import type { z } from 'zod';
import { HttpError } from './errors';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every problem zod found, each naming its field, so a client can fix them all at once. */
export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
}

export function badRequest(problems: FieldProblem[]): HttpError {
  const cause = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  const message = [...new Set(problems.map((p) => p.message))].join(' ');
  return new HttpError(400, cause, message, { errors: problems });
}
