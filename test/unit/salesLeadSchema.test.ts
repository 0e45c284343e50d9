import { SalesLeadSchema } from '../../src/api/salesLeads/schema';
import { validLead } from '../support/leads';

type Issue = { path: PropertyKey[]; message: string };

function issuesOf(body: unknown): Issue[] {
  const r = SalesLeadSchema.safeParse(body);
  if (r.success) throw new Error('expected the body to fail validation, but it passed');
  return r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

const paths = (issues: Issue[]): string[] => issues.map((i) => i.path.join('.'));

describe('SalesLeadSchema', () => {
  it('accepts a valid lead', () => {
    const r = SalesLeadSchema.safeParse(validLead());
    expect(r.success).toBe(true);
  });

  it('fails an identified customer without a personnummer on personalIdentityNumber with the seed wording', () => {
    const issues = issuesOf(validLead({}, { identifiedCustomer: true, personalIdentityNumber: undefined }));
    expect(issues).toEqual([{ path: ['customerDetails', 'personalIdentityNumber'], message: 'Social security number is missing or incorrect.' }]);
  });

  it('fails an identified customer with a wrong check digit on personalIdentityNumber', () => {
    const issues = issuesOf(validLead({}, { personalIdentityNumber: '198507099806' }));
    expect(issues).toEqual([{ path: ['customerDetails', 'personalIdentityNumber'], message: 'Social security number is missing or incorrect.' }]);
  });

  it('passes an unidentified customer without a personnummer', () => {
    const r = SalesLeadSchema.safeParse(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }));
    expect(r.success).toBe(true);
  });

  it('fails when there is no e-mail and no phone number at all', () => {
    const issues = issuesOf(validLead({}, { customerEmail: undefined, customerPhone: undefined, customerMobilePhone: undefined }));
    expect(paths(issues)).toEqual(['customerDetails.customerEmail']);
    expect(issues[0]!.message).toMatch(/at least one way to reach the customer/);
  });

  it('passes with only a mobile phone to reach the customer', () => {
    const r = SalesLeadSchema.safeParse(validLead({}, { customerEmail: undefined, customerPhone: undefined }));
    expect(r.success).toBe(true);
  });

  it.each([['1234'], ['ABC 12'], ['123456'], ['string']])('fails a bad postal code %j on invoiceDetails.postalCode', (postalCode) => {
    const lead = validLead();
    lead.customerDetails.invoiceDetails!.postalCode = postalCode;
    expect(paths(issuesOf(lead))).toEqual(['customerDetails.invoiceDetails.postalCode']);
  });

  it('accepts a postal code with or without the space', () => {
    const lead = validLead();
    lead.customerDetails.invoiceDetails!.postalCode = '12345';
    expect(SalesLeadSchema.safeParse(lead).success).toBe(true);
  });

  it('treats requestedDateTime as optional', () => {
    const { requestedDateTime: _omit, ...lead } = validLead();
    const r = SalesLeadSchema.safeParse(lead);
    expect(r.success).toBe(true);
    if (r.success) expect(r.data.requestedDateTime).toBeUndefined();
  });

  it('fails a requestedDateTime that is not an ISO 8601 date-time', () => {
    expect(paths(issuesOf(validLead({ requestedDateTime: 'tomorrow' })))).toEqual(['requestedDateTime']);
  });

  it('fails an empty products list on products', () => {
    const issues = issuesOf(validLead({ products: [] }));
    expect(issues).toEqual([{ path: ['products'], message: 'must name at least one product' }]);
  });

  it('fails identifiedCustomer: "yes" naming customerDetails.identifiedCustomer', () => {
    const lead = validLead() as unknown as { customerDetails: Record<string, unknown> };
    lead.customerDetails.identifiedCustomer = 'yes';
    const issues = issuesOf(lead);
    expect(paths(issues)).toContain('customerDetails.identifiedCustomer');
    expect(issues.find((i) => i.path.join('.') === 'customerDetails.identifiedCustomer')!.message).toBe('must be true or false');
  });

  it('fails a products field of the wrong type naming products', () => {
    const lead = { ...validLead(), products: 'bb-250' };
    expect(paths(issuesOf(lead))).toEqual(['products']);
  });

  it('names every wrong field of the seed example placeholders', () => {
    const lead = validLead();
    const body = {
      ...lead,
      customerDetails: { ...lead.customerDetails, personalIdentityNumber: 'string', customerPhone: 'string', customerEmail: 'string' },
    };
    expect(paths(issuesOf(body)).sort()).toEqual(
      ['customerDetails.customerEmail', 'customerDetails.customerPhone', 'customerDetails.personalIdentityNumber'].sort(),
    );
  });
});
