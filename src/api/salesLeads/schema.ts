import { z } from 'zod';
import {
  isValidPhoneNumber,
  isValidSwedishIdentityNumber,
  PERSONNUMMER_MESSAGE,
  PERSONNUMMER_PATTERN,
  PHONE_NUMBER_PATTERN,
} from '../../domain/shared/swedishIdentity';
import type { SalesLead } from '../../domain/salesLeads/salesLead';
import { NOT_BLANK_PATTERN } from '../../domain/shared/textPatterns';

/**
 * Seed 000's POST body. Everything about form is checked here and answered with
 * 400 naming each wrong field; a product the catalogue does not have is the route's
 * 400 (the seed's `Unknown service`); what needs the registry or the catalogue's
 * offerings is the workflow's assessment and is answered with REJECT.
 * Each rule a refinement checks is also in the published document (`.meta`):
 * a pattern, a format, or a conditional over the fields, so what the document allows
 * is what this accepts.
 */
const notBlank = { pattern: NOT_BLANK_PATTERN };
const id = z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters').meta(notBlank);
const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with time zone, e.g. 2021-05-03T20:31:15Z' });
const phone = z
  .string()
  .refine(isValidPhoneNumber, 'is not a valid phone number (7 to 15 digits, optionally starting with +)')
  .meta({ pattern: PHONE_NUMBER_PATTERN, description: '7 to 15 digits, optionally starting with +; spaces, dashes and parentheses between them' });
const optionalText = z.string().max(255).optional();

export const SalesLeadProductSchema = z.object({ productId: id, offeringId: id });

export const InvoiceDetailsSchema = z.object({
  streetName: z.string().trim().min(1, 'is required').max(255).meta(notBlank),
  streetNumber: optionalText,
  streetLittera: optionalText,
  postalCode: z.string().regex(/^\d{3} ?\d{2}$/, 'must be a Swedish postal code (five digits, e.g. 123 45)'),
  city: z.string().trim().min(1, 'is required').max(128).meta(notBlank),
});

export const CustomerDetailsSchema = z
  .object({
    identifiedCustomer: z.boolean({ message: 'must be true or false' }),
    personalIdentityNumber: z
      .string()
      .meta({
        format: 'personnummer',
        pattern: PERSONNUMMER_PATTERN,
        description:
          'Swedish personnummer or samordningsnummer (day + 60): YYMMDD or YYYYMMDD, an optional - or +, four digits, the last a Luhn check digit over the 10-digit form',
      })
      .optional(),
    customerFirstname: z.string().trim().min(1, 'is required').max(128).meta(notBlank),
    customerLastName: z.string().trim().min(1, 'is required').max(128).meta(notBlank),
    customerPhone: phone.optional(),
    customerMobilePhone: phone.optional(),
    customerEmail: z.email('is not a valid e-mail address').optional(),
    invoiceDetails: InvoiceDetailsSchema.optional(),
  })
  .superRefine((c, ctx) => {
    // Seed 000: an identified customer must carry a valid personnummer (or samordningsnummer).
    if (c.identifiedCustomer && !(c.personalIdentityNumber && isValidSwedishIdentityNumber(c.personalIdentityNumber))) {
      ctx.addIssue({ code: 'custom', path: ['personalIdentityNumber'], message: PERSONNUMMER_MESSAGE });
    }
    if (!c.identifiedCustomer && c.personalIdentityNumber && !isValidSwedishIdentityNumber(c.personalIdentityNumber)) {
      ctx.addIssue({ code: 'custom', path: ['personalIdentityNumber'], message: PERSONNUMMER_MESSAGE });
    }
    if (!c.customerPhone && !c.customerMobilePhone && !c.customerEmail) {
      ctx.addIssue({
        code: 'custom',
        path: ['customerEmail'],
        message: 'at least one way to reach the customer is required (customerEmail, customerPhone or customerMobilePhone)',
      });
    }
  })
  .meta({
    // The superRefine above, for the document; a present personalIdentityNumber is held to its format either way.
    if: { properties: { identifiedCustomer: { const: true } }, required: ['identifiedCustomer'] },
    then: { required: ['personalIdentityNumber'] },
    anyOf: [{ required: ['customerEmail'] }, { required: ['customerPhone'] }, { required: ['customerMobilePhone'] }],
    description:
      'An identified customer carries a valid personalIdentityNumber; at least one of customerEmail, customerPhone and customerMobilePhone reaches the customer.',
  });

export const SalesLeadSchema = z.object({
  accessId: id,
  coId: id,
  orderDateTime: dateTime,
  /** Absent, or in the past: activate as soon as possible (docs/sales-leads.md). */
  requestedDateTime: dateTime.optional(),
  products: z.array(SalesLeadProductSchema).min(1, 'must name at least one product').max(20),
  customerDetails: CustomerDetailsSchema,
  // What this accepts is a sales lead as the workflow and the provisioning system read it:
  // the compiler holds the schema to the domain's shape.
}) satisfies z.ZodType<SalesLead>;

export const LeadAnswerSchema = z.object({
  status: z.enum(['RECEIVED', 'ACTIVATED', 'REJECT']),
  message: z.string(),
  orderId: z.string(),
});
