import type { Lifecycle } from '../shared/lifecycle';
import type { LeadStage } from './salesLead';

/**
 * The sales lead's stages and their moves. A reject reaches a lead under review or
 * scheduled (until provisioning starts); provisioning that fails for good rejects it.
 * SCHEDULED straight from ASSESSING: an accepted lead needs no review.
 */
export const SALES_LEAD_LIFECYCLE: Lifecycle<LeadStage> = {
  name: 'Sales lead',
  initial: ['ASSESSING'],
  moves: {
    ASSESSING: ['IN_REVIEW', 'SCHEDULED', 'REJECTED'],
    IN_REVIEW: ['SCHEDULED', 'REJECTED'],
    SCHEDULED: ['PROVISIONING', 'REJECTED'],
    PROVISIONING: ['ACTIVATED', 'REJECTED'],
    ACTIVATED: [],
    REJECTED: [],
  },
};
