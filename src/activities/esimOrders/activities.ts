import { ApplicationFailure, log } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import type { Config } from '../../config';
import type { Orm } from '../../db/orm';
import { EsimCustomerEsimSchema, EsimCustomerSchema, EsimOrderRecordSchema, EsimProductSchema } from '../../db/entities';
import { emailKey, mayTopUp } from '../../domain/esimOrders/ownership';
import { EsimPlatform, EsimPlatformRejectedError, ProfileRequest } from '../../external/esimOrders/esimPlatform';
import { bulkOutputOf, planBulkActivations } from './bulkActivations';
import { bulkIccidsNotMatching, iccidsMismatch } from './ownershipChecks';
import {
  DEFAULT_BULK_BATCH_SIZE,
  EsimFailure,
  EsimOrderRequest,
  EsimOrderStage,
  EsimOrderStatus,
  EsimProfile,
  EsimRejectionCode,
  ResolvedPlan,
} from '../../workflows/esimOrders/contract';
import { PublicIdWrite, writeWithPublicId } from '../shared/publicIds';

export interface EsimOrderStatusRecord {
  externalId: string;
  tenantId: string;
  operationType: string;
  correlationId: string;
  stage: EsimOrderStage;
  status: EsimOrderStatus;
  reason?: string | undefined;
  output?: unknown;
  /**
   * A BULK_ACTIVATION's final write: the output is built here from the order's
   * activation rows (ROLLED_BACK where it was undone, i.e. unless COMPLETED) rather
   * than passed in, which would put 1 MiB per 10,000 ICCIDs in the order's history.
   */
  bulkOutput?: boolean;
  /** Seed 001's optional device fields, kept with the order (absent from writes scheduled by older workflow runs). */
  device?: { uicc?: string | undefined; imei?: string | undefined };
  publicId?: PublicIdWrite;
}

export type EsimOrderCheck =
  | { ok: true; plans: ResolvedPlan[]; topupProfile?: EsimProfile }
  | { ok: false; code: EsimRejectionCode; message: string };

const reject = (code: EsimRejectionCode, message: string): EsimOrderCheck => ({ ok: false, code, message });

export function createEsimOrderActivities(config: Config, orm: Orm, platform: EsimPlatform) {
  const defaultCurrencies = config.env.ESIM_DEFAULT_CURRENCIES.split(',');

  /** Platform errors that can never succeed become non-retryable failures; the rest are retried. */
  async function onPlatform<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof EsimPlatformRejectedError) throw ApplicationFailure.nonRetryable(err.message, EsimFailure.platformRejected);
      log.warn(`eSIM platform: ${what} failed; will retry`, { error: String(err) });
      throw err;
    }
  }

  return {
    /**
     * The seed's rules that need our data (the 422s), in the order a caller can act
     * on them: the customer (TOPUP), then the catalogue, then the currencies. Returns
     * the plans with the seed's defaults from the product's allowance filled in.
     */
    async checkEsimOrder(req: { tenantId: string; externalId: string; order: EsimOrderRequest; now: string; bulkBatchSize?: number }): Promise<EsimOrderCheck> {
      const { tenantId, order } = req;
      const em = orm.em.fork();
      // The customer by the e-mail rule (case-insensitive), as everywhere: see emailKey.
      const customer = await em.findOne(EsimCustomerSchema, { tenantId, emailKey: emailKey(order.customer.email) });
      let topupProfile: EsimProfile | undefined;
      if (order.operationType === 'TOPUP') {
        if (!customer) return reject(EsimFailure.customerMustExist, `Does not exist a customer for email ${order.customer.email}`);
        const iccid = order.esim?.iccid ?? '';
        const owned = await em.findOne(EsimCustomerEsimSchema, { tenantId, iccid });
        if (!owned || !mayTopUp({ owners: [owned] }, { tenantId, email: order.customer.email })) {
          return reject(EsimFailure.emailAndIccidDoNotMatch, `Email ${order.customer.email} and ICCID ${iccid} do not match each other`);
        }
        topupProfile = { iccid, matchingId: owned.matchingId, smdpUrl: owned.smdpUrl };
      }
      const ids = [...new Set(order.subscriptions.map((s) => s.id))];
      const products = await em.find(EsimProductSchema, { tenantId, productId: { $in: ids } });
      const currencies = customer ? customer.currencies.split(',') : defaultCurrencies;
      const plans: ResolvedPlan[] = [];
      for (const [i, sub] of order.subscriptions.entries()) {
        const product = products.find((p) => p.productId === sub.id);
        if (!product) return reject(EsimFailure.productNotFound, `The product was not found for id ${sub.id} (input.subscriptions[${i}].id)`);
        if (sub.currency && !currencies.includes(sub.currency)) {
          return reject(
            EsimFailure.invalidRequestParams,
            `input.subscriptions[${i}].currency: ${sub.currency} is not a currency the customer supports (${currencies.join(', ')})`,
          );
        }
        plans.push({
          planId: `${req.externalId}:s${i}`,
          productId: sub.id,
          type: sub.type,
          activationDate: sub.activationDate ?? req.now,
          autoRenew: sub.autoRenew,
          dataValue: sub.dataValue ?? product.dataValue,
          dataUnit: sub.dataUnit ?? product.dataUnit,
          // price and currency come as a pair (checked at the API), or both from the allowance.
          price: sub.price ?? product.price,
          currency: sub.currency ?? product.currency,
        });
      }
      if (order.operationType === 'BULK_ACTIVATION') {
        // Last: the one check that reads every ICCID, so an order wrong elsewhere is refused before it.
        const mismatch = await bulkIccidsNotMatching(em, order, tenantId);
        if (mismatch.length) return reject(EsimFailure.emailAndIccidDoNotMatch, iccidsMismatch(order.customer.email, mismatch));
        await planBulkActivations(em, req.externalId, order, plans, req.bulkBatchSize ?? DEFAULT_BULK_BATCH_SIZE);
      }
      return topupProfile ? { ok: true, plans, topupProfile } : { ok: true, plans };
    },

    /** Upsert: a retry after a crash writes the same row again, never a second one. */
    async recordEsimOrderStatus({ publicId, bulkOutput, device, ...rec }: EsimOrderStatusRecord): Promise<void> {
      const now = new Date();
      await writeWithPublicId(orm, rec.tenantId, publicId, async (em) => {
        const output = bulkOutput ? await bulkOutputOf(em, rec.externalId, rec.status !== 'COMPLETED') : rec.output;
        await em.upsert(
          EsimOrderRecordSchema,
          {
            ...rec,
            reason: rec.reason ?? null,
            output: output === undefined ? null : JSON.stringify(output),
            ...(device ? { deviceUicc: device.uicc ?? null, deviceImei: device.imei ?? null } : {}),
            createdAt: now,
            updatedAt: now,
          },
          { onConflictFields: ['externalId'], onConflictExcludeFields: ['createdAt'] },
        );
      });
    },

    /**
     * Seed: "If the customer does not exist, it will also be created." Never overwrites one
     * that does, whatever the case of the address it was created with (emailKey).
     */
    async ensureEsimCustomer(req: { tenantId: string; customer: EsimOrderRequest['customer'] }): Promise<void> {
      const { customer } = req;
      await orm.em.fork().upsert(
        EsimCustomerSchema,
        {
          tenantId: req.tenantId,
          email: customer.email,
          emailKey: emailKey(customer.email),
          firstName: customer.firstName,
          lastName: customer.lastName ?? null,
          language: customer.language,
          countryOfResidence: customer.countryOfResidence ?? null,
          currencies: defaultCurrencies.join(','),
          createdAt: new Date(),
        },
        { onConflictFields: ['tenantId', 'emailKey'], onConflictAction: 'ignore' },
      );
    },

    /** Who owns the eSIM from now on (what a later TOPUP must match); the first owner stays. */
    async recordEsimOwnership(req: { tenantId: string; email: string; externalId: string; profile: EsimProfile }): Promise<void> {
      await orm.em.fork().upsert(
        EsimCustomerEsimSchema,
        {
          tenantId: req.tenantId,
          email: req.email,
          externalId: req.externalId,
          iccid: req.profile.iccid,
          matchingId: req.profile.matchingId,
          smdpUrl: req.profile.smdpUrl,
          createdAt: new Date(),
        },
        { onConflictFields: ['tenantId', 'iccid'], onConflictAction: 'ignore' },
      );
    },

    async orderEsimProfile(req: ProfileRequest): Promise<void> {
      await onPlatform('ordering a profile', () => platform.orderProfile(req));
    },

    /**
     * One poll. "Not ready" is thrown as a BENIGN retryable failure so the retry
     * policy does the waiting (see the workflow), without error logs or metrics.
     */
    async pollEsimProfile({ orderId }: { orderId: string }): Promise<EsimProfile> {
      const status = await onPlatform('polling a profile', () => platform.profileStatus(orderId));
      if (status.state === 'READY') return { iccid: status.iccid, matchingId: status.matchingId, smdpUrl: status.smdpUrl };
      if (status.state === 'FAILED') throw ApplicationFailure.nonRetryable(status.reason, EsimFailure.platformRejected);
      throw ApplicationFailure.create({
        message: `profile for order ${orderId} is not ready yet`,
        type: EsimFailure.profileNotReady,
        category: ApplicationFailureCategory.BENIGN,
      });
    },

    async activateEsimPlan(plan: ResolvedPlan & { iccid: string; planId: string }): Promise<EsimProfile> {
      const { activationDate: _when, ...activation } = plan;
      return onPlatform('activating a plan', () => platform.activatePlan(activation));
    },

    async deactivateEsimPlan(req: { planId: string; iccid: string }): Promise<void> {
      await onPlatform('deactivating a plan', () => platform.deactivatePlan(req));
    },
  };
}

/** What the eSIM order workflows may call: their own activities, typed apart from the other families'. */
export type EsimOrderActivities = ReturnType<typeof createEsimOrderActivities>;
