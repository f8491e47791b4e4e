import { domainToASCII } from "node:url";
import { parse } from "tldts";

export type DomainCheck = { ok: true; domain: string } | { ok: false; message: string };

/**
 * A custom domain as stored: lower-case, internationalised names in punycode, no trailing dot.
 * It must be a host name under a known public suffix (not the suffix itself, not an IP) and not
 * the platform's own domain.
 */
export function normalizeCustomDomain(input: string, platformDomain?: string): DomainCheck {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, "");
  if (!trimmed || trimmed.length > 253 || /[/:@\s]/.test(trimmed)) {
    return { ok: false, message: "must be a host name such as shop.example.com (no scheme, path or port)" };
  }
  const ascii = domainToASCII(trimmed);
  if (!ascii) return { ok: false, message: "is not a valid domain name" };
  const info = parse(ascii, { allowPrivateDomains: true });
  if (info.isIp) return { ok: false, message: "must be a domain name, not an IP address" };
  if (!/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(ascii)) {
    return { ok: false, message: "is not a valid host name" };
  }
  if (platformDomain && (ascii === platformDomain || ascii.endsWith(`.${platformDomain}`))) {
    return { ok: false, message: "belongs to the platform; tenants get their subdomain automatically" };
  }
  if (!info.publicSuffix || !(info.isIcann || info.isPrivate) || !info.domain) {
    return { ok: false, message: "must end in a public suffix such as .com or .co.uk" };
  }
  return { ok: true, domain: ascii };
}
