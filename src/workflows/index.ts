// Bundle entry for the worker: every workflow type, and nothing else.
export { salesLeadWorkflow } from './salesLeads/workflow';
export { esimOrderWorkflow } from './esimOrders/workflow';
export { offerInquiryWorkflow } from './fibre/inquiryWorkflow';
export { fiberOrderWorkflow } from './fibre/orderWorkflow';
export { mefOrderWorkflow } from './mefOrders/workflow';
export { esimBulkBatchWorkflow, esimBulkUndoWorkflow } from './esimOrders/bulkBatchWorkflows';
