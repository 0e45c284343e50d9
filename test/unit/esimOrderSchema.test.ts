import { EsimOrderBodySchema } from '../../src/api/esimOrders/schema';
import { MAX_BULK_ACTIVATIONS } from '../../src/workflows/esimOrders/contract';
import { freshIccid, future, seedBulk, seedNewEsim, seedTopup } from '../support/esimOrders';

type Body = { input: Record<string, unknown> & { subscriptions: Record<string, unknown>[]; device: Record<string, unknown>; customer: Record<string, unknown> } };

/** The problems zod finds, as "field: message" (the path as zod gives it). */
function problems(body: unknown): string[] {
  const parsed = EsimOrderBodySchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
const clone = <T>(v: T): Body => JSON.parse(JSON.stringify(v)) as Body;

describe('the eSIM order body (seed 001 input table and rules)', () => {
  it('accepts the seed\'s three examples with dates in the future and fills in the table\'s defaults', () => {
    expect(problems(seedNewEsim())).toEqual([]);
    expect(problems(seedTopup())).toEqual([]);
    expect(problems(seedBulk())).toEqual([]);
    const { input } = EsimOrderBodySchema.parse(seedNewEsim());
    expect(input.subscriptions[0]).toMatchObject({ type: 'REGULAR', autoRenew: false });
    expect(input.subscriptions[0]!.dataValue).toBeUndefined(); // from the allowance, in the workflow
    expect(input.customer).toMatchObject({ firstName: 'john@doe.com', language: 'EN' });
  });

  it('reads the seed\'s one comma-separated string as a list of ICCIDs, a proper list alike, each ICCID once', () => {
    const { input } = EsimOrderBodySchema.parse(seedBulk());
    expect(input.subscriptions.map((s) => s.iccid)).toEqual([['8944474600000101811'], ['8944474600000101811']]);
    const proper = clone(seedBulk());
    proper.input.subscriptions[0]!.iccid = ['8944474600000101811', '8944474600000101829'];
    expect(EsimOrderBodySchema.parse(proper).input.subscriptions[0]!.iccid).toEqual(['8944474600000101811', '8944474600000101829']);
  });

  it('requires the mandatory fields, each named', () => {
    const body = clone(seedNewEsim());
    delete body.input.operationType;
    delete body.input.countryCode;
    delete body.input.subscriptions[0]!.id;
    delete body.input.device.id;
    delete body.input.device.type;
    delete body.input.customer.email;
    expect(problems(body).sort()).toEqual([
      'input.countryCode: is required',
      'input.customer.email: is required',
      'input.device.id: is required',
      'input.device.type: is required',
      'input.operationType: is required',
      'input.subscriptions.0.id: is required',
    ]);
    expect(problems({})).toEqual(['input: is required']);
  });

  it('refuses an unknown operationType', () => {
    const body = clone(seedNewEsim());
    body.input.operationType = 'NEW';
    expect(problems(body)).toEqual(['input.operationType: must be NEW_ESIM, TOPUP (TOPUP_ACTIVATION is a deprecated alias) or BULK_ACTIVATION']);
  });

  it('refuses an activationDate in the past', () => {
    const body = clone(seedNewEsim('2019-09-13T12:00:00Z'));
    expect(problems(body)).toEqual(['input.subscriptions.0.activationDate: can not be a date in the past']);
  });

  it('refuses price without currency and currency without price', () => {
    const noCurrency = clone(seedNewEsim());
    delete noCurrency.input.subscriptions[0]!.currency;
    expect(problems(noCurrency)).toEqual(['input.subscriptions.0.currency: must be sent together with price']);
    const noPrice = clone(seedNewEsim());
    delete noPrice.input.subscriptions[0]!.price;
    expect(problems(noPrice)).toEqual(['input.subscriptions.0.price: must be sent together with currency']);
  });

  it('refuses a device.type outside iot, ios, android, and iot for a TOPUP', () => {
    const watch = clone(seedNewEsim());
    watch.input.device.type = 'watch';
    expect(problems(watch)).toEqual(['input.device.type: must be one of iot, ios, android']);
    const iot = clone(seedNewEsim());
    iot.input.device.type = 'iot';
    expect(problems(iot)).toEqual([]);
    const iotTopup = clone(seedTopup());
    iotTopup.input.device.type = 'iot';
    expect(problems(iotTopup)).toEqual(['input.device.type: must be one of ios, android for a TOPUP']);
  });

  it('requires esim.iccid for a TOPUP', () => {
    const body = clone(seedTopup());
    delete body.input.esim;
    expect(problems(body)).toEqual(['input.esim.iccid: is required for a TOPUP']);
  });

  it('checks the form of every ICCID: digits, length, Luhn check digit (the seed\'s placeholder fails)', () => {
    expect(problems(seedTopup(future(1), '123456789'))).toEqual([
      'input.esim.iccid: must be an ICCID: 19 or 20 digits ending in a valid Luhn check digit',
    ]);
    expect(problems(seedTopup(future(1), '8944474600000101812'))).toHaveLength(1);
    const bulk = clone(seedBulk());
    bulk.input.subscriptions[1]!.iccid = ['8944474600000101811, 89444746000001018AB'];
    expect(problems(bulk)).toEqual(['input.subscriptions.1.iccid.1: must be an ICCID: 19 or 20 digits ending in a valid Luhn check digit']);
  });

  it('refuses the same product twice on one ICCID (seed: "each one with an unique product"), naming the ICCID that repeats it', () => {
    const body = clone(seedBulk());
    const other = freshIccid();
    body.input.subscriptions = [
      { id: 'a3mM0000000Dcmr', iccid: ['8944474600000101811'] },
      { id: 'a3mM0000000Dcmw', iccid: ['8944474600000101811'] },
      { id: 'a3mM0000000Dcmr', iccid: [other, '8944474600000101811'] },
    ];
    expect(problems(body)).toEqual([
      'input.subscriptions.2.iccid.1: ICCID 8944474600000101811 already gets product a3mM0000000Dcmr from input.subscriptions[0]: each product at most once per ICCID',
    ]);
    // Another product on that ICCID, or that product on another ICCID, is fine.
    body.input.subscriptions[2]!.iccid = [other];
    expect(problems(body)).toEqual([]);
  });

  it(`refuses more than ${MAX_BULK_ACTIVATIONS} ICCIDs in all subscriptions together, naming the first one too many; accepts exactly that many`, () => {
    const iccids = Array.from({ length: MAX_BULK_ACTIVATIONS }, () => freshIccid());
    const body = clone(seedBulk());
    body.input.subscriptions = [
      { id: 'a3mM0000000Dcmr', iccid: iccids.slice(0, 6000) },
      { id: 'a3mM0000000Dcmw', iccid: iccids.slice(6000) },
    ];
    expect(problems(body)).toEqual([]);
    body.input.subscriptions[1]!.iccid = [...iccids.slice(6000), freshIccid()];
    expect(problems(body)).toEqual([
      `input.subscriptions.1.iccid.4000: is one ICCID too many: a BULK_ACTIVATION activates at most ${MAX_BULK_ACTIVATIONS} ICCIDs in all subscriptions together`,
    ]);
    // One list alone past the maximum is refused by the list's own limit (the document's maxItems).
    body.input.subscriptions = [{ id: 'a3mM0000000Dcmr', iccid: [...iccids, freshIccid()] }];
    expect(problems(body)).toEqual([`input.subscriptions.0.iccid: must name at most ${MAX_BULK_ACTIVATIONS} ICCIDs`]);
  });

  it('requires ICCIDs on every BULK_ACTIVATION subscription and allows them nowhere else', () => {
    const bulk = clone(seedBulk());
    delete bulk.input.subscriptions[0]!.iccid;
    expect(problems(bulk)).toEqual(['input.subscriptions.0.iccid: is required for BULK_ACTIVATION']);
    const emptyList = clone(seedBulk());
    emptyList.input.subscriptions[0]!.iccid = [' , '];
    expect(problems(emptyList)).toEqual(['input.subscriptions.0.iccid: must name at least one ICCID']);
    const newEsim = clone(seedNewEsim());
    newEsim.input.subscriptions[0]!.iccid = ['8944474600000101811'];
    expect(problems(newEsim)).toEqual(['input.subscriptions.0.iccid: is only allowed for BULK_ACTIVATION']);
  });
});
