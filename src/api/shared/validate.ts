import type { RequestHandler } from 'express';
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

/** Parses the body once at the boundary; handlers use `res.locals.body`, typed by the schema. */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, res, next) => {
    if (req.body === undefined) throw badRequest([{ field: '(body)', message: 'A JSON request body (Content-Type: application/json) is required.' }]);
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) throw badRequest(problemsOf(parsed.error));
    res.locals.body = parsed.data;
    next();
  };
}
