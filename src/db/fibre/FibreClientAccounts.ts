import { EntitySchema } from '@mikro-orm/core';

/** Seed 002 section 6: an invoice recipient of one client (tenant). */
export interface FibreInvoiceGroupRow {
  invoiceGroupId: string;
  tenantId: string;
  name: string;
  clientNumber: string;
  invoiceGroupNumber: string;
}

export const FibreInvoiceGroupSchema = new EntitySchema<FibreInvoiceGroupRow>({
  name: 'FibreInvoiceGroupRow',
  tableName: 'fibre_invoice_groups',
  properties: {
    invoiceGroupId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    name: { type: 'string' },
    clientNumber: { type: 'string' },
    invoiceGroupNumber: { type: 'string' },
  },
});

/** Seed 002 section 7: a framework agreement of one client; `discountPercent` (internal) lowers monthly fees. */
export interface FibreFrameworkAgreementRow {
  frameworkAgreementId: string;
  tenantId: string;
  name: string;
  isStandard: boolean;
  masterSystemId: string;
  discountPercent: number;
}

export const FibreFrameworkAgreementSchema = new EntitySchema<FibreFrameworkAgreementRow>({
  name: 'FibreFrameworkAgreementRow',
  tableName: 'fibre_framework_agreements',
  properties: {
    frameworkAgreementId: { type: 'string', primary: true },
    tenantId: { type: 'string', index: true },
    name: { type: 'string' },
    isStandard: { type: 'boolean' },
    masterSystemId: { type: 'string' },
    discountPercent: { type: 'float' },
  },
});
