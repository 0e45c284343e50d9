import { assessLead, type ReferenceData } from '../../src/domain/salesLeads/assessment';
import { SEED_ACCESS_ID, SEED_OFFERING_ID, SEED_PRODUCT_ID } from '../../src/db/salesLeads/demoData';
import { validLead } from '../support/leads';

function reference(
  points: Record<string, 'CONNECTABLE' | 'PLANNED'> = { [SEED_ACCESS_ID]: 'CONNECTABLE' },
  offerings: Array<[string, string]> = [[SEED_PRODUCT_ID, SEED_OFFERING_ID]],
): ReferenceData {
  return {
    accessPoint: (id) => (points[id] ? { status: points[id]! } : undefined),
    offers: (productId, offeringId) => offerings.some(([p, o]) => p === productId && o === offeringId),
  };
}

describe('assessLead', () => {
  it('accepts a lead for an identified customer at a connectable access point with offered products', () => {
    expect(assessLead(validLead(), reference())).toEqual({ decision: 'ACCEPT', reasons: [] });
  });

  it('rejects an access point that is not in the network and names it', () => {
    const a = assessLead(validLead({ accessId: 'unknown-ap-1' }), reference());
    expect(a.decision).toBe('REJECT');
    expect(a.reasons).toEqual(['The address (access point unknown-ap-1) is not in our network.']);
  });

  it('rejects an access point that is only PLANNED', () => {
    const a = assessLead(validLead({ accessId: 'planned-ap' }), reference({ 'planned-ap': 'PLANNED' }));
    expect(a.decision).toBe('REJECT');
    expect(a.reasons).toEqual(['The address (access point planned-ap) cannot be connected yet.']);
  });

  it('rejects an offering not in the catalogue and names the product and the offering', () => {
    const a = assessLead(validLead({ products: [{ productId: SEED_PRODUCT_ID, offeringId: 'bb-9999' }] }), reference());
    expect(a.decision).toBe('REJECT');
    expect(a.reasons).toHaveLength(1);
    expect(a.reasons[0]).toContain(SEED_PRODUCT_ID);
    expect(a.reasons[0]).toContain('bb-9999');
  });

  it('lists every reason when several things are wrong', () => {
    const lead = validLead({
      accessId: 'nowhere',
      products: [
        { productId: SEED_PRODUCT_ID, offeringId: SEED_OFFERING_ID },
        { productId: 'p-1', offeringId: 'o-1' },
        { productId: 'p-2', offeringId: 'o-2' },
      ],
    });
    const a = assessLead(lead, reference());
    expect(a.decision).toBe('REJECT');
    expect(a.reasons).toEqual([
      'The address (access point nowhere) is not in our network.',
      'Product p-1 with offering o-1 is not offered.',
      'Product p-2 with offering o-2 is not offered.',
    ]);
  });

  it('sends an otherwise fine lead for an unidentified customer to review', () => {
    const a = assessLead(validLead({}, { identifiedCustomer: false, personalIdentityNumber: undefined }), reference());
    expect(a.decision).toBe('REVIEW');
    expect(a.reasons).toEqual(['The customer is not identified by the CO.']);
  });

  it('rejects rather than reviews an unidentified customer whose lead cannot be delivered', () => {
    const a = assessLead(validLead({ accessId: 'nowhere' }, { identifiedCustomer: false }), reference());
    expect(a.decision).toBe('REJECT');
  });
});
