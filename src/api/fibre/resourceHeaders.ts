import type { Response } from 'express';

export const httpDate = (iso: string): string => new Date(iso).toUTCString();

/** Location and Last-Modified (the last change: doneDateTime once done, orderDateTime before). */
export function setResourceHeaders(res: Response, location: string | undefined, status: { orderDateTime: string; doneDateTime: string | null }): void {
  if (location) res.location(location);
  res.setHeader('Last-Modified', httpDate(status.doneDateTime ?? status.orderDateTime));
}
