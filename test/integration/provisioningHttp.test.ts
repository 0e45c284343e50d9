import { httpProvisioning, ProvisioningRejectedError } from '../../src/external/salesLeads/provisioning';
import { validLead } from '../support/leads';
import { answerJson as answer, failureOf, useStubServer } from '../support/stubServer';

// The content type too: the adapter must say it sends JSON.
const stub = useStubServer((req, body) => ({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body }));

describe('httpProvisioning', () => {
  it('returns the serviceId of a 200 and PUTs the lead to /activations/<orderId>', async () => {
    stub.answer = answer(200, { serviceId: 'SVC-42' });
    const lead = validLead();
    const result = await httpProvisioning(stub.url, 5000).activate({ orderId: 'order-1', lead });
    expect(result).toEqual({ serviceId: 'SVC-42' });
    expect(stub.seen).toHaveLength(1);
    expect(stub.seen[0]).toMatchObject({ method: 'PUT', url: '/activations/order-1', contentType: 'application/json' });
    expect(stub.seen[0]!.body).toEqual({ accessId: lead.accessId, products: lead.products, customer: lead.customerDetails });
  });

  it('accepts 201 as success and tolerates a trailing slash in the base URL', async () => {
    stub.answer = answer(201, { serviceId: 'SVC-201' });
    const result = await httpProvisioning(`${stub.url}/`, 5000).activate({ orderId: 'order-201', lead: validLead() });
    expect(result.serviceId).toBe('SVC-201');
    expect(stub.seen[0]!.url).toBe('/activations/order-201');
  });

  it('URL-encodes the orderId in the path', async () => {
    stub.answer = answer(200, { serviceId: 'SVC-ENC' });
    await httpProvisioning(stub.url, 5000).activate({ orderId: 'a/b c', lead: validLead() });
    expect(stub.seen[0]!.url).toBe('/activations/a%2Fb%20c');
  });

  it('rejects a 422 permanently with a ProvisioningRejectedError carrying the body message', async () => {
    stub.answer = answer(422, { message: 'no fibre' });
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-422', lead: validLead() }));
    expect(err).toBeInstanceOf(ProvisioningRejectedError);
    expect(err.name).toBe('ProvisioningRejectedError');
    expect(err.message).toBe('no fibre');
  });

  it('rejects a 404 with a non-JSON body permanently, keeping the status as the message', async () => {
    stub.answer = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    };
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-404', lead: validLead() }));
    expect(err).toBeInstanceOf(ProvisioningRejectedError);
    expect(err.message).toBe('provisioning answered HTTP 404');
  });

  it('treats a 503 as transient: a plain Error, not a ProvisioningRejectedError', async () => {
    stub.answer = answer(503, { message: 'maintenance' });
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-503', lead: validLead() }));
    expect(err).not.toBeInstanceOf(ProvisioningRejectedError);
    expect(err.message).toBe('maintenance');
  });

  it('treats a 429 as transient', async () => {
    stub.answer = answer(429);
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-429', lead: validLead() }));
    expect(err).not.toBeInstanceOf(ProvisioningRejectedError);
    expect(err.message).toBe('provisioning answered HTTP 429');
  });

  it('treats a 408 as transient', async () => {
    stub.answer = answer(408);
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-408', lead: validLead() }));
    expect(err).not.toBeInstanceOf(ProvisioningRejectedError);
  });

  it('gives up on a system that never answers after timeoutMs, transiently', async () => {
    stub.answer = () => {
      // never answer; afterAll closes the connection
    };
    const started = Date.now();
    const err = await failureOf(httpProvisioning(stub.url, 200).activate({ orderId: 'order-hang', lead: validLead() }));
    const elapsed = Date.now() - started;
    expect(err).not.toBeInstanceOf(ProvisioningRejectedError);
    expect(err.name).toBe('TimeoutError');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1000);
    expect(stub.seen).toHaveLength(1);
  });

  it('treats a 200 without serviceId as transient', async () => {
    stub.answer = answer(200, { status: 'ok' });
    const err = await failureOf(httpProvisioning(stub.url, 5000).activate({ orderId: 'order-noid', lead: validLead() }));
    expect(err).not.toBeInstanceOf(ProvisioningRejectedError);
    expect(err.message).toBe('provisioning answered 200 without serviceId');
  });
});
