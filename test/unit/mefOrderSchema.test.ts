import fs from 'node:fs';
import path from 'node:path';
import { OrderSchema } from '../../src/api/mefOrders/schema';
import { mergePatch } from '../../src/domain/mefOrders/lifecycle';
import { mefOrder, SEED_CREATE_ORDER, SEED_LISTED_ORDER } from '../support/mefOrders';

const fieldsOf = (body: unknown) => {
  const r = OrderSchema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('MEF order schema (seed 003)', () => {
  it('accepts the seed\'s "Create an Order" body as written', () => {
    expect(fieldsOf(SEED_CREATE_ORDER)).toEqual([]);
  });

  it('accepts the README\'s example file, which is the seed\'s body', () => {
    const example: unknown = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../examples/mef-order.json'), 'utf8'));
    expect(example).toEqual(SEED_CREATE_ORDER);
    expect(fieldsOf(example)).toEqual([]);
  });

  it('accepts the order of the seed\'s list example, with every optional field it shows', () => {
    expect(fieldsOf(SEED_LISTED_ORDER)).toEqual([]);
  });

  it('refuses an orderedUniReference that names no item of the same order, naming the field', () => {
    const order = mefOrder((o) => {
      o.orderItems[0]!.orderItemDetail.uniReference!.orderItemReference = '07';
    });
    expect(fieldsOf(order)).toEqual(['orderItems.0.orderItemDetail.uniReference.orderItemReference: names no order item of this order ("07")']);
  });

  it('refuses an orderedUniReference to an item that is not a UNI', () => {
    const order = mefOrder((o) => {
      o.orderItems[0]!.orderItemDetail.uniReference!.orderItemReference = '01';
    });
    expect(fieldsOf(order)).toEqual(['orderItems.0.orderItemDetail.uniReference.orderItemReference: names order item "01", which is not a uniProductOrder']);
  });

  it('names a wrong objectType discriminator, an unknown enum value and a misspelt field', () => {
    const order = mefOrder((o) => {
      (o.buyerOrderContact as Record<string, unknown>).objectType = 'person';
      (o as Record<string, unknown>).orderActivity = 'BUY';
      (o.billingInfo as Record<string, unknown>).existingBillingAcountNumber = 'x';
    });
    const problems = fieldsOf(order).join('\n');
    expect(problems).toContain('buyerOrderContact.objectType: must be "contact"');
    expect(problems).toContain('orderActivity:');
    expect(problems).toContain('billingInfo: Unrecognized key: "existingBillingAcountNumber"');
  });

  it('refuses duplicate order item references and an order without items', () => {
    expect(fieldsOf(mefOrder((o) => { o.orderItems[1]!.orderItemReference = '01'; }))).toContain(
      'orderItems.1.orderItemReference: duplicates the reference of another order item ("01")',
    );
    expect(fieldsOf(mefOrder((o) => { o.orderItems = []; }))).toContain('orderItems: must contain at least one order item');
  });
});

describe('JSON merge patch (RFC 7396)', () => {
  it('merges objects, removes with null and replaces arrays and scalars', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] }, { a: 'z', c: { f: null }, l: [3] })).toEqual({ a: 'z', c: { d: 'e' }, l: [3] });
    expect(mergePatch({ a: 'b' }, { a: { bb: null } })).toEqual({ a: {} });
    expect(mergePatch({ a: 'foo' }, 'bar')).toBe('bar');
  });
});
