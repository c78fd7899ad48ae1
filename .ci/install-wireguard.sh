#!/bin/sh
# Installs the Debian packages the real WireGuard tunnel test (test/e2e/wireguard-tunnel.test.ts)
# and the tunnel MTU bench (bench/tunnel.ts) need. Idempotent: installs only what is missing.
#   wireguard-go     userspace WireGuard, one interface per network namespace
#   wireguard-tools  wg (setconf, show) and wg-quick (strip)
#   iproute2         ip netns / link / address / route
#   nftables         the underlay rule that drops fragments
#   iputils-ping     ping -M do (DF set) for the MTU checks
#   iperf3           the throughput measurements of the bench
#   dnsmasq-base     stands in for kube-dns to prove DNS stub forwarding across the tunnel
#   openssl          the test CAs of the brought-intermediates tests and of the real local stack
#                    (test/real: control-plane PKI, intermediates from "your own CA")
set -eu

PACKAGES="wireguard-go wireguard-tools iproute2 nftables iputils-ping iperf3 dnsmasq-base openssl"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "install-wireguard: all present:$(printf ' %s' $PACKAGES)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-wireguard: installing$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
