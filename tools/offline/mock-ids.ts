/** Identifiers shared by the mock outputs: the account, and deterministic stand-ins for AWS's random ids. */

export const MOCK_ACCOUNT_ID = "123456789012";

/** Deterministic lowercase hex of `length` digits (FNV-1a, repeated), standing in for AWS's random ids. */
export function mockHex(text: string, length: number): string {
    let out = "";
    for (let round = 0; out.length < length; round++) {
        let h = 0x811c9dc5;
        for (const c of `${round}:${text}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
        out += h.toString(16).padStart(8, "0");
    }
    return out.slice(0, length);
}

/** A UUID (8-4-4-4-12 lowercase hex), as WAF, ACM and CloudFront policies use for ids. */
export function mockUuid(text: string): string {
    const h = mockHex(text, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `E` and 13 upper-case characters: the shape of CloudFront's distribution, origin access control and ETag ids (`E74FTE3EXAMPLE`). */
export const mockCloudFrontId = (text: string): string => `E${mockHex(text, 13).toUpperCase()}`;
