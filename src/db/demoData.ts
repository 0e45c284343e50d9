import type { Orm } from './orm';
import { loadEsimDemoData } from './esimOrders/demoData';
import { loadFibreDemoData } from './fibre/demoData';
import { loadMefDemoData } from './mefOrders/demoData';
import { loadSalesLeadDemoData } from './salesLeads/demoData';

/** Every family's demo data. Idempotent: loading twice leaves the same rows. */
export async function loadDemoData(orm: Orm): Promise<{ accessPoints: number; offerings: number; fibrePoints: number }> {
  const salesLeads = await loadSalesLeadDemoData(orm);
  await loadEsimDemoData(orm);
  await loadMefDemoData(orm);
  const fibre = await loadFibreDemoData(orm);
  return { ...salesLeads, ...fibre };
}
