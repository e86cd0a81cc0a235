/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`, because errors from
 * Node's streams, zlib or fetch can come from another realm (undici, test VMs) and would otherwise
 * print as "[object Object]".
 */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
