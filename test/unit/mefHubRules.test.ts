import { hubEventTypeOf, listensTo, parseHubQuery } from '../../src/domain/mefOrders/hub';
import { callbackAddressProblem, callbackUrlProblem, isPrivateAddress } from '../../src/external/shared/callbackAddress';

const production = { httpsOnly: true, allowPrivate: false };
const local = { httpsOnly: false, allowPrivate: true };

describe('the hub\'s callback policy', () => {
  it.each([
    ['https://buyer.example.com/events', undefined],
    ['http://buyer.example.com/events', 'must be an https URL'],
    ['https://user:pw@buyer.example.com/', 'must not carry credentials'],
    ['https://127.0.0.1/x', 'must not name a loopback or private address (127.0.0.1)'],
    ['https://10.1.2.3/x', 'must not name a loopback or private address (10.1.2.3)'],
    ['https://172.20.0.1/x', 'must not name a loopback or private address (172.20.0.1)'],
    ['https://192.168.1.1/x', 'must not name a loopback or private address (192.168.1.1)'],
    ['https://169.254.169.254/latest/meta-data', 'must not name a loopback or private address (169.254.169.254)'],
    ['https://[::1]/x', 'must not name a loopback or private address (::1)'],
    ['https://[::ffff:127.0.0.1]/x', 'must not name a loopback or private address (::ffff:7f00:1)'],
    ['https://[fd12::1]/x', 'must not name a loopback or private address (fd12::1)'],
    ['https://localhost:8443/x', 'must not name a loopback or private address (localhost)'],
    ['https://db.internal/x', 'must not name a loopback or private address (db.internal)'],
    ['https://172.32.0.1/x', undefined],
    ['not a url', 'is not a URL'],
  ])('in production, %s: %s', (url, problem) => {
    expect(callbackUrlProblem(url, production)).toBe(problem);
  });

  it('allows http and local addresses where the setting allows them, and nothing but http(s)', () => {
    expect(callbackUrlProblem('http://127.0.0.1:8080/x', local)).toBeUndefined();
    expect(callbackUrlProblem('ftp://127.0.0.1/x', local)).toBe('must be an http(s) URL');
  });

  it('checks at delivery what a name resolves to', async () => {
    expect(await callbackAddressProblem('https://localhost./x', production)).toBe('must not name a loopback or private address (localhost)');
    expect(await callbackAddressProblem('https://no-such-host.invalid/x', production)).toBe('host no-such-host.invalid does not resolve');
    expect(await callbackAddressProblem('http://localhost/x', local)).toBeUndefined();
  });

  it('knows the private ranges and not their neighbours', () => {
    expect(['0.0.0.0', '100.64.0.1', '100.127.255.255', 'fe80::1', '::'].every(isPrivateAddress)).toBe(true);
    expect(['100.63.255.255', '100.128.0.0', '8.8.8.8', '2001:db8::1', '172.15.255.255'].some(isPrivateAddress)).toBe(false);
  });
});

describe('a listener\'s query', () => {
  it('is eventType=<types> or nothing, of the known types only', () => {
    expect(parseHubQuery(undefined)).toEqual({ eventTypes: null });
    expect(parseHubQuery('  ')).toEqual({ eventTypes: null });
    expect(parseHubQuery('eventType=productOrderStateChangeEvent, productOrderStateChangeEvent')).toEqual({ eventTypes: ['productOrderStateChangeEvent'] });
    expect(parseHubQuery('eventType=orderShipped')).toEqual({ problem: expect.stringMatching(/^unknown event type orderShipped; known: productOrderStateChangeEvent, /) });
    expect(parseHubQuery('eventType=a&state=b')).toEqual({ problem: 'must be eventType=<type>[,<type>…] (the only filter offered)' });
  });

  it('admits an event when it names its type, or names none', () => {
    expect(listensTo(null, 'productOrderStateChangeEvent')).toBe(true);
    expect(listensTo(['productOrderJeopardyAlertEvent'], 'productOrderStateChangeEvent')).toBe(false);
    expect(hubEventTypeOf('ORDER_STATE_CHANGE')).toBe('productOrderStateChangeEvent');
    expect(hubEventTypeOf('BUYER_NOTE')).toBeUndefined();
  });
});
