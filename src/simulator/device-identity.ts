import { createHash } from 'node:crypto';

// Stable made-up identifiers for the camera behind an endpoint ID.

export interface DeviceIdentity {
  serialNumber: string;
  tenantId: string;
}

export const simulatedTenantId = '5e1a7ed0-0000-4000-8000-000000000001';

export function deviceIdentity(endpointId: string): DeviceIdentity {
  const hash = createHash('sha256').update(`device/${endpointId}`).digest('hex').toUpperCase();
  return { serialNumber: `F${hash.slice(0, 12)}`, tenantId: simulatedTenantId };
}
