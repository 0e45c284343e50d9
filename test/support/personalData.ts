/**
 * The personal data in a MEF order body: every contact's values and every site
 * address line. What summaries, details and search attributes must never show.
 */
export function personalValuesOfMefOrder(order: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.objectType === 'contact' || obj.objectType === 'formattedAddress') {
      for (const [key, value] of Object.entries(obj)) {
        // A country code alone names no one, and "US" would match unrelated text.
        if (typeof value === 'string' && key !== 'objectType' && key !== 'country') found.add(value);
      }
    }
    Object.values(obj).forEach(walk);
  };
  walk(order);
  return [...found];
}
