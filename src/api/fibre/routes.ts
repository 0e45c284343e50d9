import { Router } from 'express';
import type { Orm } from '../../db/orm';
import type { Authenticator } from '../shared/auth';
import type { OpenApiRegistry } from '../shared/openapi';
import { fibreReferenceRouter } from './reference';
import { fibreInquiriesRouter, FibreOrderingDeps } from './inquiries';
import { fibreOrdersRouter } from './orders';

/** Seed 002's base path. */
export const FIBRE_PATH = '/api/1.0';

export interface FibreDeps extends FibreOrderingDeps {
  orm: Orm;
  auth: Authenticator;
  openapi: OpenApiRegistry;
}

/** The fibre price API family (seed 002): one router per part, mounted under FIBRE_PATH. */
export function fibreRouter(deps: FibreDeps): Router {
  const router = Router();
  router.use(fibreReferenceRouter(deps));
  router.use(fibreInquiriesRouter(deps), fibreOrdersRouter(deps));
  return router;
}
