/**
 * A DF ping sweep through a real tunnel: the largest packet that crosses the underlay inside the
 * tunnel, found by binary search with the tunnel interface's own MTU out of the way. Shared by the
 * tunnel test and the bench (`tunnel_mtu_headroom_bytes`).
 */
import type { NamespaceTunnel, TunnelEnd } from "./netns";

/** IPv4 (20) + ICMP (8): what ping's `-s` leaves out of the packet size. */
export const PING_HEADERS = 28;

/** One DF ping of `size` bytes (whole IP packet) from a's pod to b's pod; whether it arrived. */
export async function crosses(
  tunnel: NamespaceTunnel,
  size: number,
  from?: TunnelEnd,
  to?: TunnelEnd,
): Promise<boolean> {
  const a = from ?? tunnel.a;
  const b = to ?? tunnel.b;
  const r = await tunnel.exec(a, [
    "ping",
    "-n",
    "-c",
    "1",
    "-W",
    "1",
    "-M",
    "do",
    "-s",
    String(size - PING_HEADERS),
    "-I",
    a.pod,
    b.pod,
  ]);
  return r.code === 0;
}

/**
 * The largest tunnel MTU whose full-size packets cross this underlay, between `low` (known to) and
 * the underlay MTU: for each candidate m, the interface MTU is set to m and one DF packet of m bytes
 * is sent. (The MTU must be set per candidate: WireGuard pads packets to a multiple of 16 bytes, but
 * never past the interface MTU, so a packet's outer size depends on the MTU, not only on its own.)
 * The MTU is set back to `restore` after.
 */
export async function largestCrossing(tunnel: NamespaceTunnel, restore: number, low = 1280): Promise<number> {
  const fits = async (mtu: number): Promise<boolean> => {
    await tunnel.setTunnelMtu(mtu);
    return crosses(tunnel, mtu);
  };
  try {
    if (!(await fits(low))) throw new Error(`a ${low}-byte packet does not cross the tunnel`);
    let lo = low;
    let hi = tunnel.underlayMtu + 1; // never crosses: the tunnel adds its overhead to every packet
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await fits(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  } finally {
    await tunnel.setTunnelMtu(restore);
  }
}
