import type { RequestHandler } from 'express';
import { badRequest } from './validate';

const NUL = '\u0000';
const MESSAGE = 'must not contain the NUL character (U+0000)';

/**
 * Where in `value` a NUL hides, in a key or a string, as a dotted path; undefined when
 * nowhere. A loop, not recursion: a body may nest tens of thousands of levels deep.
 */
function nulIn(value: unknown): string | undefined {
  const pending: [unknown, string][] = [[value, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [v, at] = next;
    if (typeof v === 'string' && v.includes(NUL)) return at;
    if (!v || typeof v !== 'object') continue;
    for (const [key, inner] of Object.entries(v)) {
      const here = at ? `${at}.${key}` : key;
      if (key.includes(NUL)) return here;
      pending.push([inner, here]);
    }
  }
  return undefined;
}

/**
 * Neither database takes U+0000 in text: PostgreSQL refuses it and libsql's SQL breaks
 * on it. A NUL in an id, a query parameter or a body field would fail a query with a
 * 500, or worse, fail an activity's write after the order was accepted. Refused at the
 * door instead, with a 400 naming where it is (found by the OpenAPI fuzz test).
 */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  const field = /%00/i.test(req.path) ? '(path)' : (nulIn(req.query) ?? nulIn(req.body));
  if (field !== undefined) throw badRequest([{ field: field || '(body)', message: MESSAGE }]);
  next();
};
