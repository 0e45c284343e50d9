import type { Request } from 'express';
import type { Config } from '../../config';

/**
 * Seed 003 shows every `link.href` absolute ("http://orders/ORD-CC-12345"). The base is
 * MEF_PUBLIC_BASE_URL, the address buyers know the API by (set it behind a proxy, and
 * for notifications' links to be right whoever sent the order); without it, the
 * scheme and host the request came in on (with `trust proxy`, X-Forwarded-* from a
 * local proxy).
 */
export function publicBaseUrl(config: Config, req: Request): string {
  const configured = config.env.MEF_PUBLIC_BASE_URL.replace(/\/$/, '');
  return configured || `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Where a cancellation of an order lives (TMF622's CancelProductOrder). */
export const CANCELLATIONS_PATH = '/cancelOrder';
