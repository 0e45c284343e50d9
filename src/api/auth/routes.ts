import { z } from 'zod';
import type { Authenticator } from '../shared/auth';
import type { RouteTable } from '../shared/routes';

export const TokenSchema = z.object({
  accessToken: z.string(),
  expiresIn: z.number(),
  impersonating: z.guid().nullable().describe('The GUID of the client the token acts for (seed 002 §0); null when it acts for the caller itself'),
});

/** The token exchange every family's clients start with (DESIGN.md: HTTP conventions). */
export function declareAuthRoutes(routes: RouteTable, auth: Authenticator): void {
  routes.declare({
    operationId: 'getToken',
    method: 'get',
    path: '/api/1.0/auth',
    tag: 'Auth',
    summary:
      'Exchange HTTP Basic client credentials for a bearer token; ?impersonate=<clientId> asks for a token acting for a client the caller may impersonate',
    access: 'basic',
    reachesBackends: false,
    query: z.object({
      // Price API impersonation (seed 002 §0).
      impersonate: z.string().max(128).optional().describe('clientId or GUID of a client the caller may act for (price API)'),
    }),
    responses: {
      200: { description: 'A JWT for the Authorization header', schema: TokenSchema },
      403: { description: 'The caller may not impersonate the client named by ?impersonate' },
    },
    handle: async ({ query }, res, req) => {
      const token = await auth.issue(req.get('authorization'), query.impersonate);
      // A bearer token must not stay in a cache on the way (RFC 6749 §5.1).
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      res.json(token);
    },
  });
}
