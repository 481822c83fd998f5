import { isUnknown } from "./props";

/**
 * Whether a CIDR opens to the internet at large. Not only `/0`: `0.0.0.0/1` plus `128.0.0.0/1` is the
 * whole IPv4 internet (a common VPN trick) and `2000::/3` every global IPv6 address. Any IPv4 prefix
 * shorter than /8 holds public space (10/8 is the only private /8); so does any IPv6 prefix shorter
 * than /8 except fc00::/7 (unique local). A /8 and narrower is a deliberate range, judged elsewhere.
 */
export function isInternetWide(value: unknown): boolean {
    if (typeof value !== "string" || isUnknown(value)) return false;
    if (/\/0+$/.test(value.trim())) return true; // any zero-length prefix, however the address is spelt
    const m = /^([0-9a-f.:]+)\/(\d+)$/i.exec(value.trim());
    if (!m) return false;
    const [, address, length] = m;
    const prefix = Number(length);
    if (prefix >= 8) return false;
    if (!address.includes(":")) return true;
    // The first byte of the address: `fd00::` → 0xfd, `::` → 0.
    const firstByte = address.startsWith(":") ? 0 : parseInt(address.split(":")[0].padStart(4, "0").slice(0, 2), 16);
    return !(prefix === 7 && (firstByte & 0xfe) === 0xfc);
}
