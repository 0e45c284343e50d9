import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKeys } from '../config';

/**
 * Encrypts every payload the SDK hands to Temporal (workflow and activity inputs and
 * results, signals, updates, queries, memos, static summaries), so histories hold no
 * personal data in clear. AES-256-GCM: authenticated, so a changed byte is refused
 * rather than decrypted into garbage.
 *
 * The whole original payload (its metadata too, e.g. `json/plain`) is serialised and
 * encrypted, and the result carries only our encoding and the key id: decoding gives
 * back exactly what was encoded, and the key id says which key to use after a rotation.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
// 96-bit IVs are GCM's native size; a fresh random one per payload, never reused with a key.
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  /** Payloads that are not ours pass through: histories recorded before encryption still replay. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : p));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keys.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.keys.keys.get(keyId)!, iv);
    // The key id is metadata outside the ciphertext; binding it as associated data means
    // relabelling a payload with another id fails authentication instead of being trusted.
    cipher.setAAD(utf8.encode(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(keyId) },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (!keyId) throw new Error(`Encrypted payload has no ${KEY_ID_METADATA} metadata`);
    const key = this.keys.keys.get(keyId);
    if (!key) {
      throw new Error(
        `Payload was encrypted with key "${keyId}", which is not among PAYLOAD_ENCRYPTION_KEYS (${[...this.keys.keys.keys()].join(', ')}); ` +
          'keep retired keys in the list as long as histories encrypted with them exist',
      );
    }
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error(`Encrypted payload (key "${keyId}") is too short to be ours`);
    const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(utf8.encode(keyId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error(`Encrypted payload (key "${keyId}") failed authentication: it was altered, or the key with this id is not the one that encrypted it`);
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: inner.metadata, data: inner.data };
  }
}
