/** The innermost message of a failure chain (ActivityFailure → ApplicationFailure → …): what a client or operator can read. */
export function rootMessage(err: unknown): string {
  let e = err as { cause?: unknown; message?: string } | undefined;
  while (e?.cause) e = e.cause as typeof e;
  return e?.message ?? 'unknown error';
}
