import type { RouteTable } from '../shared/routes';
import { declareReferenceRoutes, FibreReferenceDeps } from './reference';
import { declareInquiryRoutes, FibreOrderingDeps } from './inquiries';
import { declareOrderRoutes } from './orders';

export type FibreDeps = FibreReferenceDeps & FibreOrderingDeps;

/** The fibre price API family (seed 002), under FIBRE_PATH (src/api/fibre/paths.ts): reference data, offer inquiries, orders. */
export function declareFibreRoutes(routes: RouteTable, deps: FibreDeps): void {
  declareReferenceRoutes(routes, deps);
  declareInquiryRoutes(routes, deps);
  declareOrderRoutes(routes, deps);
}
