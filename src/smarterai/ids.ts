/**
 * The cloud sends `endpointId` as a number in most topics and as a string in others
 * (`5290` and `"5290"` are one camera). Everything past the boundary uses the string form.
 */
export function normaliseEndpointId(value: string | number): string {
  return String(value).trim();
}
