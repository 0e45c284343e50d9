import { FIBRE_DEMO } from '../../src/db/fibre/demoData';

export const FIBRE_BASE = '/api/1.0';

/** Seed 002 §4's example body with the demo's ids, in the seed's own spellings (noOfFiberPairs, noOfSinglePairs). */
export function seedInquiryBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    invoiceGroupId: FIBRE_DEMO.demoInvoiceGroupId,
    frameworkAgreementId: FIBRE_DEMO.demoFrameworkAgreementId,
    supplier: 'STOKAB',
    product: { productId: FIBRE_DEMO.stokabPoint2PointId, name: 'Point2Point' },
    referenceId: 'CH-12345',
    from: { pointId: FIBRE_DEMO.points.from, comment: '' },
    to: { pointId: FIBRE_DEMO.points.to, comment: '' },
    redundancy: { type: 'Normal', toPointId: FIBRE_DEMO.points.redundancy },
    customerType: 'Commercial',
    serviceLevel: 'Premium',
    parameters: [
      { name: 'ConnectorType', value: 'SC/APC' },
      { name: 'NoOfRooms', value: '10' },
    ],
    subProducts: [],
    contractPeriodMonths: 12,
    noOfFiberPairs: 1,
    noOfSinglePairs: 1,
    asyncAnswerAllowed: false,
    ...overrides,
  };
}

let counter = 0;

/** A distinct sync inquiry each call (its own referenceId), answered DONE_SUCCESS. */
export function syncInquiry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return seedInquiryBody({ referenceId: `CH-${process.pid}-${counter}`, ...overrides });
}

/** A distinct async inquiry: it carries a comment and allows an async answer. */
export function asyncInquiry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return syncInquiry({ comment: 'Lorem ipsum: please check the riser in building B.', asyncAnswerAllowed: true, ...overrides });
}

/** Seed 002 §5's order body. */
export function orderBody(inquiryId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    inquiryId,
    responsiblePerson: { firstName: 'Anders', lastName: 'Larsson', phoneNumber: '46701234567', email: 'anders.larsson@comhem.com' },
    endCustomer: { companyName: 'HSB', firstName: 'Sven', lastName: 'Svensson', phoneNumber: '46702233445', email: 'sven.svensson@company.com' },
    ...overrides,
  };
}
