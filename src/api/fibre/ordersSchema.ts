import { z } from 'zod';
import type { FiberOrderRequest } from '../../workflows/fiberOrder/contract';
import { InquiryProductSchema } from './inquiriesSchema';
import { NOT_BLANK_PATTERN } from '../../domain/textPatterns';

/**
 * Seed 002 §5's POST body: an order on an earlier offer, with the person
 * responsible at the client and the end customer. Whether the inquiry may be
 * ordered is the inquiry workflow's decision (409), not a form check.
 */
const notBlank = { pattern: NOT_BLANK_PATTERN };
const name = z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters').meta(notBlank);
// The seed writes numbers as 46701234567: 7 to 15 digits (E.164), an optional leading +, spaces and dashes ignored.
const phoneNumber = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .refine((v) => /^\+?\d{7,15}$/.test(v), 'is not a valid phone number (7 to 15 digits, optionally starting with +, e.g. 46701234567)')
  // The same rule on the text as sent, for the document: spaces and dashes anywhere, + only first.
  .meta({ pattern: '^[\\s-]*\\+?(?:[\\s-]*\\d){7,15}[\\s-]*$', description: '7 to 15 digits, optionally starting with +; spaces and dashes are ignored' });
const email = z.email('is not a valid e-mail address').max(254);

export const PersonSchema = z.object({ firstName: name, lastName: name, phoneNumber, email });
export const EndCustomerSchema = PersonSchema.extend({ companyName: z.string().trim().max(255).optional() });

export const FiberOrderSchema = z
  .object({
    inquiryId: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters').meta(notBlank),
    responsiblePerson: PersonSchema,
    endCustomer: EndCustomerSchema,
  })
  .transform((b): FiberOrderRequest => b);

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
});

/** The seed's feed item, plus doneDateTime: the value the client loop passes as the next `since`. */
export const OrderFeedItemSchema = z.object({
  orderId: z.string(),
  state: z.enum(['DELIVERED', 'REJECTED']),
  message: z.string(),
  doneDateTime: z.string(),
});
