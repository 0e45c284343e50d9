// Bundle entry for the worker: every workflow type, and nothing else.
export { salesLeadWorkflow } from './salesLead/workflow';
export { mefOrderWorkflow } from './mefOrder/workflow';
