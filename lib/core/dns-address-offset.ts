/**
 * Where a cluster's DNS address sits in its first node subnet. A module of its own, importing
 * nothing: resolve.ts (the DNS address) and east-west-gateway.ts (the gateway's fixed addresses,
 * one further) both read it when they load, and east-west-gateway.ts is loaded from resolve.ts's
 * own imports, before resolve.ts has defined its constants.
 */

/**
 * Where a cluster's DNS address sits: this many addresses before the end of its first node subnet.
 * Clouds reserve the very last addresses of a subnet (AWS the last one, GCP the last two) and hand
 * out node addresses from the start, so the address stays clear of both.
 */
export const DNS_ADDRESS_OFFSET_FROM_END = 5;
