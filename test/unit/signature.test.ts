import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/callback/signature';

// The example of the Standard Webhooks specification.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';

describe('Standard Webhooks signatures', () => {
  it('match the specification example', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verify among several signatures and reject a changed body', () => {
    const signature = `v1,bm90LXRoaXMtb25l ${signWebhook(secret, id, timestamp, body)}`;

    expect(verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, body)).toBe(true);
    expect(verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, `${body} `)).toBe(
      false,
    );
  });
});
