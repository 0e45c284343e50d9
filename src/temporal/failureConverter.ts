import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces travel as an encoded payload, so the payload codec
 * encrypts them like every other payload: a refusal can name the customer (seed 001's
 * "Email … and ICCID … do not match"), and history must hold no personal data in clear.
 * Loaded by path (`failureConverterPath`): the workflow bundle carries its own copy.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
