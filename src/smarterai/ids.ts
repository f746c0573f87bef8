/**
 * The cloud sends `endpointId` as a number in most topics and as a string in others
 * (`5290` and `"5290"` are one camera). Everything past the boundary uses the string form.
 */
export function normaliseEndpointId(value: string | number): string {
  const text = String(value).trim();
  // `0005290` names camera 5290, as the cloud reads it: drop leading zeros, keep big ids exact.
  return /^\d+$/.test(text) ? BigInt(text).toString() : text;
}
