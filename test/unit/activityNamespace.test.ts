import { oneNamespace } from '../../src/activities';

describe('one activity namespace for the worker', () => {
  it('merges every family\'s activities', () => {
    const merged = oneNamespace({ a: { x: () => 1 }, b: { y: () => 2 } });
    expect(Object.keys(merged).sort()).toEqual(['x', 'y']);
    expect(merged.y()).toBe(2);
  });

  it('refuses a name two families define, naming both', () => {
    expect(() => oneNamespace({ salesLeads: { recordStatus: () => 1 }, fibre: { recordStatus: () => 2 } })).toThrow(
      'Activity recordStatus is defined by both salesLeads and fibre',
    );
  });
});
