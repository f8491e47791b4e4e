/**
 * Every secret this package keys with (token signing, code and record hashing) must carry at
 * least 256 bits, the size of the HMAC-SHA256 output: a shorter key is the weakest link, and a
 * leaked database plus a guessable key turns every keyed hash back into its phone number or code.
 */
export const minimumSecretBytes = 32;

export function secretBytes(secret: string, what: string): Uint8Array {
  const bytes = new TextEncoder().encode(secret);
  if (bytes.byteLength < minimumSecretBytes) {
    throw new RangeError(`${what} must be at least ${minimumSecretBytes} bytes (UTF-8); got ${bytes.byteLength}`);
  }
  return bytes;
}
