/**
 * The WireGuard gateway instances' boot scripts (user data on AWS, a startup script on Google Cloud).
 * No secret in them: the config is fetched with the instance's own identity.
 *
 * Robust at boot, where the network, apt's lock and snapd may not be ready yet:
 * - every step that touches the network is retried with a growing pause ({@link BOOT_RETRIES} tries);
 * - apt waits for its lock instead of failing; snap waits until snapd has seeded;
 * - a failing step is reported on the instance's console — `aws ec2 get-console-output --instance-id <id>`,
 *   `gcloud compute instances get-serial-port-output <name>` — as `isthmus-wireguard: FAILED …`, and a
 *   working tunnel as `isthmus-wireguard: up`;
 * - TCP MSS is clamped to the path MTU on packets leaving through the tunnel, so that pods with a larger
 *   MTU (the AWS VPC CNI uses 9001) never send segments the tunnel (1420) cannot carry.
 */
import { WIREGUARD_CONFIG_KEY } from "../manifests/wireguard-gateway";

/** How many times a boot step that touches the network is tried. */
export const BOOT_RETRIES = 10;

/** The marker of the gateway's console lines. */
export const BOOT_MARKER = "isthmus-wireguard";

/**
 * The script's prelude: strict mode, the failure report, `retry`. `ISTHMUS_CONSOLE` (default
 * `/dev/console`) and `ISTHMUS_RETRY_DELAY` (seconds, default 3) exist for tests.
 */
export function bootPrelude(title: string): string[] {
  return [
    "#!/bin/bash",
    `# ${title}`,
    "set -euo pipefail",
    'CONSOLE="${ISTHMUS_CONSOLE:-/dev/console}"',
    `report() { echo "${BOOT_MARKER}: $*" | tee -a "$CONSOLE" >&2 || true; }`,
    `trap 'report "FAILED at line $LINENO (exit $?): $BASH_COMMAND"' ERR`,
    "retry() {",
    "  local try=1",
    '  until "$@"; do',
    `    if [ "$try" -ge ${BOOT_RETRIES} ]; then trap - ERR; report "FAILED after $try tries: $*"; exit 1; fi`,
    '    report "retrying ($try): $*"',
    "    sleep $((try * ${ISTHMUS_RETRY_DELAY:-3}))",
    "    try=$((try + 1))",
    "  done",
    "}",
    "export DEBIAN_FRONTEND=noninteractive",
  ];
}

/** Installs packages with apt, waiting for its lock and retrying the download. */
function aptInstall(packages: readonly string[]): string[] {
  return [
    "retry apt-get -o DPkg::Lock::Timeout=300 update -q",
    `retry apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends ${packages.join(" ")}`,
  ];
}

/** TCP SYNs leaving through the tunnel get an MSS that fits the tunnel's MTU. */
export const MSS_CLAMP =
  "iptables -t mangle -A FORWARD -o wg0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu";

/** Forwarding on, MSS clamped on the tunnel, the interface up, success reported. */
function tunnelUp(): string[] {
  return [
    "echo net.ipv4.ip_forward=1 > /etc/sysctl.d/90-isthmus-wireguard.conf",
    "sysctl --system >/dev/null",
    // A drop-in of wg-quick's unit, so that the clamp comes back with the tunnel after a reboot.
    "mkdir -p /etc/systemd/system/wg-quick@wg0.service.d",
    "cat > /etc/systemd/system/wg-quick@wg0.service.d/isthmus-mss.conf <<'EOF'",
    "[Service]",
    `ExecStartPost=/bin/sh -c '${MSS_CLAMP.replace("-A", "-C")} 2>/dev/null || ${MSS_CLAMP}'`,
    "EOF",
    "systemctl daemon-reload",
    "systemctl enable wg-quick@wg0",
    "systemctl restart wg-quick@wg0",
    'report "up"',
    "",
  ];
}

/**
 * The AWS gateway's user data: installs WireGuard, iptables and the AWS CLI (a snap on Ubuntu),
 * fetches the config from Parameter Store with the instance's role, brings wg0 up.
 */
export function awsBootScript(region: string, parameterName: string, version: number | undefined): string {
  return [
    ...bootPrelude(`isthmus WireGuard gateway; config ${parameterName} version ${version ?? "unknown"}`),
    ...aptInstall(["wireguard-tools", "iptables"]),
    "retry snap wait system seed.loaded",
    "command -v /snap/bin/aws >/dev/null || retry snap install aws-cli --classic",
    "umask 077",
    "fetch_config() {",
    `  /snap/bin/aws ssm get-parameter --region ${region} --name ${parameterName} --with-decryption \\`,
    `    --query Parameter.Value --output text > /etc/wireguard/${WIREGUARD_CONFIG_KEY}.new`,
    "}",
    "retry fetch_config",
    `mv /etc/wireguard/${WIREGUARD_CONFIG_KEY}.new /etc/wireguard/${WIREGUARD_CONFIG_KEY}`,
    ...tunnelUp(),
  ].join("\n");
}

/**
 * The Google Cloud gateway's startup script: installs WireGuard and iptables, fetches the config from
 * Secret Manager with the instance's service account (a metadata-server token), brings wg0 up.
 */
export function gcpBootScript(secretVersionName: string): string {
  const metadata =
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";
  return [
    ...bootPrelude(`isthmus WireGuard gateway; config ${secretVersionName}`),
    "command -v wg-quick >/dev/null && command -v iptables >/dev/null || {",
    ...aptInstall(["wireguard-tools", "iptables"]).map((l) => `  ${l}`),
    "}",
    "umask 077",
    "fetch_config() {",
    `  TOKEN=$(curl -sf -H 'Metadata-Flavor: Google' ${metadata} | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')`,
    `  curl -sf -H "Authorization: Bearer $TOKEN" https://secretmanager.googleapis.com/v1/${secretVersionName}:access \\`,
    `    | python3 -c 'import base64,json,sys; sys.stdout.write(base64.b64decode(json.load(sys.stdin)["payload"]["data"]).decode())' \\`,
    `    > /etc/wireguard/${WIREGUARD_CONFIG_KEY}.new`,
    "}",
    "retry fetch_config",
    `mv /etc/wireguard/${WIREGUARD_CONFIG_KEY}.new /etc/wireguard/${WIREGUARD_CONFIG_KEY}`,
    ...tunnelUp(),
  ].join("\n");
}
