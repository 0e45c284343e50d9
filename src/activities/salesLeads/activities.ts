import { ApplicationFailure, log } from '@temporalio/activity';
import type { Orm } from '../../db/orm';
import { AccessPointSchema, CatalogueOfferingSchema, SalesLeadRecordSchema } from '../../db/entities';
import { assessLead, Assessment } from '../../domain/salesLeads/assessment';
import { ProvisioningRejectedError, ProvisioningSystem } from '../../external/salesLeads/provisioning';
import { LeadFailure, LeadStage, LeadStatus, SalesLead } from '../../workflows/salesLeads/contract';
import { PublicIdWrite, writeWithPublicId } from '../shared/publicIds';

export interface LeadStatusRecord {
  orderId: string;
  tenantId: string;
  accessId: string;
  correlationId: string;
  stage: LeadStage;
  status: LeadStatus;
  message: string;
  publicId?: PublicIdWrite;
}

export function createSalesLeadActivities(orm: Orm, provisioning: ProvisioningSystem) {
  return {
    async assessLead({ lead }: { lead: SalesLead }): Promise<Assessment> {
      const em = orm.em.fork();
      const point = await em.findOne(AccessPointSchema, { id: lead.accessId });
      const offered = await em.find(CatalogueOfferingSchema, {
        $or: lead.products.map((p) => ({ productId: p.productId, offeringId: p.offeringId })),
      });
      return assessLead(lead, {
        accessPoint: () => point ?? undefined,
        offers: (productId, offeringId) => offered.some((o) => o.productId === productId && o.offeringId === offeringId),
      });
    },

    /** Upsert: a retry after a crash writes the same row again, never a second one. */
    async recordLeadStatus({ publicId, ...rec }: LeadStatusRecord): Promise<void> {
      const now = new Date();
      await writeWithPublicId(orm, rec.tenantId, publicId, async (em) => {
        await em.upsert(
          SalesLeadRecordSchema,
          { ...rec, createdAt: now, updatedAt: now },
          { onConflictFields: ['orderId'], onConflictExcludeFields: ['createdAt'] },
        );
      });
    },

    async activateService(order: { orderId: string; lead: SalesLead }): Promise<{ serviceId: string }> {
      try {
        return await provisioning.activate(order);
      } catch (err) {
        if (err instanceof ProvisioningRejectedError) {
          throw ApplicationFailure.nonRetryable(err.message, LeadFailure.provisioningRejected);
        }
        log.warn('provisioning failed; will retry', { error: String(err) });
        throw err;
      }
    },
  };
}

/** What the sales-lead workflows may call: their own activities, typed apart from the other families'. */
export type SalesLeadActivities = ReturnType<typeof createSalesLeadActivities>;
