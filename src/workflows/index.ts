// Bundle entry for the worker: every workflow type, and nothing else.
export { salesLeadWorkflow } from './salesLead/workflow';
export { esimOrderWorkflow } from './esimOrder/workflow';
export { offerInquiryWorkflow } from './offerInquiry/workflow';
export { fiberOrderWorkflow } from './fiberOrder/workflow';
export { mefOrderWorkflow } from './mefOrder/workflow';
export { esimBulkBatchWorkflow, esimBulkUndoWorkflow } from './esimOrder/bulkBatchWorkflows';
