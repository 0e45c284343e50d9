import { newWebhookSecret, webhookHeaders, webhookProblem } from '../../src/external/shared/webhookSignature';

// The test vector of the Standard Webhooks specification (and of Svix's libraries).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = new Date(VECTOR.timestamp * 1000);

describe('Standard Webhooks signatures', () => {
  it('signs the specification\'s vector exactly as it says', () => {
    expect(webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.body, at)).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  it('verifies a genuine delivery, one of several listed signatures, and refuses a changed body, id, secret or an old timestamp', () => {
    const headers = webhookHeaders(VECTOR.secret, VECTOR.id, VECTOR.body, at);
    expect(webhookProblem(VECTOR.secret, headers, VECTOR.body, { now: at })).toBeUndefined();
    expect(webhookProblem(VECTOR.secret, { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` }, VECTOR.body, { now: at })).toBeUndefined();
    expect(webhookProblem(VECTOR.secret, headers, '{"test": 2432232315}', { now: at })).toBe('no webhook-signature matches');
    expect(webhookProblem(VECTOR.secret, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, { now: at })).toBe('no webhook-signature matches');
    expect(webhookProblem(newWebhookSecret(), headers, VECTOR.body, { now: at })).toBe('no webhook-signature matches');
    expect(webhookProblem(VECTOR.secret, headers, VECTOR.body, { now: new Date(at.getTime() + 301_000) })).toMatch(/more than 300 s from now/);
    expect(webhookProblem(VECTOR.secret, { 'webhook-id': VECTOR.id }, VECTOR.body, { now: at })).toMatch(/are required/);
  });

  it('makes secrets of 32 random bytes, a new one each time', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});
