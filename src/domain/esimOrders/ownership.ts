/**
 * Seed 001's rule that an order's `customer.email` and an ICCID "must match each
 * other" (EMAIL_AND_ICCID_DO_NOT_MATCH), one rule for TOPUP and BULK_ACTIVATION.
 * A TOPUP needs an eSIM the customer owns; a bulk order may also hand out stock of
 * the caller's tenant that nobody owns yet (so a bulk order can never activate plans
 * on another customer's, or another tenant's, eSIM).
 */
export interface IccidStanding {
  /** Every customer recorded as owning the ICCID, in any tenant. */
  owners: { tenantId: string; email: string }[];
  /** The tenant whose stock it is, if any. */
  stockOf?: string | undefined;
}

export interface Orderer {
  tenantId: string;
  email: string;
}

/**
 * E-mail addresses compare case-insensitively: people type them in any case, and no
 * mail provider tells them apart. The one rule, used by the ownership checks below and,
 * as the stored key `esim_customers.email_key`, by every customer lookup.
 */
export const emailKey = (email: string): string => email.trim().toLowerCase();

export const sameEmail = (a: string, b: string): boolean => emailKey(a) === emailKey(b);

const ownedBy = (standing: IccidStanding, who: Orderer) =>
  standing.owners.some((o) => o.tenantId === who.tenantId && sameEmail(o.email, who.email));

/** TOPUP: the customer owns the eSIM. */
export const mayTopUp = (standing: IccidStanding, who: Orderer): boolean => ownedBy(standing, who);

/** BULK_ACTIVATION: the customer owns the eSIM, or it is the tenant's stock and nobody owns it. */
export const mayActivateInBulk = (standing: IccidStanding, who: Orderer): boolean =>
  ownedBy(standing, who) || (standing.owners.length === 0 && standing.stockOf === who.tenantId);
