import { z } from 'zod';
import type { FibreOrderRequest } from '../../workflows/fibre/orderContract';
import { requiredText } from './fields';
import { InquiryProductSchema } from './inquiriesSchema';

/**
 * Seed 002 §5's POST body: an order on an earlier offer, with the person
 * responsible at the client and the end customer. Whether the inquiry may be
 * ordered is the inquiry workflow's decision (409), not a form check.
 */
const name = requiredText().max(128, 'must be at most 128 characters');
// The seed writes numbers as 46701234567: 7 to 15 digits (E.164), an optional leading +,
// spaces and dashes ignored. A pattern, not a refinement, so the document says so too.
const phoneNumber = z
  .string()
  .regex(/^[\s-]*\+?(?:[\s-]*\d){7,15}[\s-]*$/, 'is not a valid phone number (7 to 15 digits, optionally starting with +, e.g. 46701234567)')
  .transform((v) => v.replace(/[\s-]/g, ''));
const email = z.email('is not a valid e-mail address').max(254);

export const PersonSchema = z.object({ firstName: name, lastName: name, phoneNumber, email });
export const EndCustomerSchema = PersonSchema.extend({ companyName: z.string().trim().max(255).optional() });

export const FibreOrderSchema = z
  .object({
    inquiryId: requiredText().max(64, 'must be at most 64 characters'),
    responsiblePerson: PersonSchema,
    endCustomer: EndCustomerSchema,
    // Not in the seed's body: the seed's order completes the offer "with customer and invoice
    // information", and the inquiry's group is the default; this invoices another of the client's.
    invoiceGroupId: z
      .union([z.literal(''), z.guid('must be a GUID, e.g. 47193bdf-7855-499b-96a1-f9d387556a9e')])
      .nullable()
      .optional()
      .describe('Optional: one of the client\'s invoice groups (GET invoiceGroup) to invoice instead of the inquiry\'s; empty or absent keeps the inquiry\'s'),
  })
  .transform(({ invoiceGroupId, ...b }): FibreOrderRequest => (invoiceGroupId ? { ...b, invoiceGroupId } : b));

const ORDER_STATES = ['WAIT_DELIVERY', 'DELIVERED', 'REJECTED'] as const;

export const OrderViewSchema = z.object({
  orderId: z.string(),
  inquiryId: z.string(),
  supplier: z.string(),
  product: InquiryProductSchema,
  status: z.object({ state: z.enum(ORDER_STATES), message: z.string(), orderDateTime: z.string(), doneDateTime: z.string().nullable() }),
  connectionId: z.string().nullable(),
  responsiblePerson: PersonSchema,
  endCustomer: EndCustomerSchema,
  invoiceGroupId: z
    .string()
    .nullable()
    .optional()
    .describe('The invoice group the order is invoiced to: the order\'s own invoiceGroupId, else its inquiry\'s (absent on orders placed before it was kept)'),
  frameworkAgreementId: z.string().nullable().optional().describe('The framework agreement of the inquiry the order was placed on'),
});

/** The seed's feed item, plus doneDateTime: the value the client loop passes as the next `since`. */
export const OrderFeedItemSchema = z.object({
  orderId: z.string(),
  state: z.enum(['DELIVERED', 'REJECTED']),
  message: z.string(),
  doneDateTime: z.string(),
});
