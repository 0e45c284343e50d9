import { itemTemplate, jsonWithField, renderFeedItem } from '../../src/feeds/feedItems';
import { isoOfEpochMs } from '../../src/feeds/isoTime';

describe('feed item rendering without parsing the stored payload', () => {
  it('formats epoch milliseconds exactly as Date#toISOString does, across days, years and leap days', () => {
    const samples = [0, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2026, 0, 1, 0, 0, 1, 940)];
    // A walk through the cached day in both directions, and random instants up to 2100.
    for (let ms = Date.UTC(2026, 10, 25) - 5000; ms < Date.UTC(2026, 10, 25) + 5000; ms += 7) samples.push(ms);
    for (let i = 0; i < 20_000; i += 1) samples.push(Math.floor(Math.random() * Date.UTC(2100, 0, 1)));
    for (const ms of [...samples, ...samples.reverse()]) expect(isoOfEpochMs(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves instants outside 1970–9999 and fractions to toISOString', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_800_000, 1.5]) expect(isoOfEpochMs(ms)).toBe(new Date(ms).toISOString());
  });

  it('adds a field to a stored object as the spread {...payload, key: value} would', () => {
    const payload = { orderId: 'o-1', state: 'DELIVERED', message: 'The connection "CONN-1" is delivered.\n' };
    expect(JSON.parse(jsonWithField(JSON.stringify(payload), 'doneDateTime', '2026-01-01T00:00:00.000Z'))).toEqual({ ...payload, doneDateTime: '2026-01-01T00:00:00.000Z' });
    expect(JSON.parse(jsonWithField('{}', 'doneDateTime', 'x'))).toEqual({ doneDateTime: 'x' });
    // A payload that already has the key: the later one wins, as in the spread.
    expect(JSON.parse(jsonWithField('{"doneDateTime":"old","a":1}', 'doneDateTime', 'new'))).toEqual({ doneDateTime: 'new', a: 1 });
  });

  it('splits an item around its doneDateTime so that head + doneDateTime + tail is the rendered item, byte for byte', () => {
    const payloads = [
      { orderId: 'o-1', state: 'DELIVERED', message: 'The connection CONN-1 is delivered.' },
      { orderId: 'o-2', state: 'REJECTED', message: 'Quotes " \\ and \n, ünïcödé, \u2028, emoji 🚀, and "doneDateTime" in text' },
      { inquiryId: 'i-1', orderId: null, supplier: 'S', product: { a: [1, 2.5, -0] }, status: { state: 'DONE_ASYNC_ANSWER_SUCCESS', message: 'ok', oneTimeFee: 100 } },
      { inquiryId: 'i-2', status: { doneDateTime: 'already there', state: 'X' }, after: true },
      { id: 'no-status' },
      {},
    ];
    const when = ['2026-01-01T00:00:00.000Z', '1970-01-01T00:00:00.001Z', '9999-12-31T23:59:59.999Z'];
    for (const feed of ['orders', 'inquiries'] as const) {
      for (const payload of payloads) {
        const json = JSON.stringify(payload);
        const { head, tail } = itemTemplate(feed, json);
        for (const iso of when) expect(head + iso + tail).toBe(renderFeedItem(feed, json, iso));
      }
    }
  });

  it('renders each feed item in the shape of the seed', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(JSON.parse(renderFeedItem('orders', '{"orderId":"o","state":"DELIVERED","message":"m"}', at))).toEqual({ orderId: 'o', state: 'DELIVERED', message: 'm', doneDateTime: at });
    expect(renderFeedItem('inquiries', '{"inquiryId":"i","orderId":null,"status":{"state":"S"}}', at)).toBe(`{"inquiryId":"i","orderId":null,"status":{"state":"S","doneDateTime":"${at}"}}`);
  });
});
