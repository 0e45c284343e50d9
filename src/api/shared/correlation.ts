import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';

const ACCEPTABLE = /^[A-Za-z0-9._:\-]{1,128}$/;

/**
 * Accepts the caller's X-Correlation-ID (or makes one), echoes it, and keeps it for
 * logs and the workflow's CorrelationId search attribute. An unusable value is
 * replaced rather than refused: tracing must never fail a request.
 */
export const correlationId: RequestHandler = (req, res, next) => {
  const given = req.get('x-correlation-id');
  const id = given && ACCEPTABLE.test(given) ? given : randomUUID();
  res.locals.correlationId = id;
  res.setHeader('X-Correlation-ID', id);
  next();
};
