#!/usr/bin/python3
"""A real peer must observe the alert each rejection sends (RFC 8446 §6.2, RFC 5246 §7.2).

mtls-server is probed on loopback by `openssl s_client -msg` (and by `gnutls-cli` where s_client
cannot present the credential: a certificate with someone else's key) with bad client
certificates, in TLS 1.2 and TLS 1.3; mtls-client connects to `openssl s_server -Verify 1 -msg`
that presents an untrusted certificate. For each case the alert the peer received must be one of
the case's expected set; a silent close, a handshake that completed, or a peer that hung fails.

A case the backend's manifest documents as a library finding ("finding:alert-probe/<TLS
version>/<server|client>/..." rows, a prefix of the case's id) is shown with the reason instead of
failing, and fails once the library sends the alert after all.

Usage: alert_probe_test.py MTLS_CLIENT MTLS_SERVER MTLS_CONFORMANCE PKI_DIR
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 15  # per peer process; each case ends well before
DRAIN_S = 3  # how long a peer may stay after its counterpart exited

# Alert codes (IANA TLS Alerts registry) for peers that print numbers.
ALERT_NAMES = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
    40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
    44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
    47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
    51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
    86: "inappropriate_fallback", 90: "user_canceled", 109: "missing_extension",
    110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
    115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
}

# What each rejection must be answered with. Where the RFCs leave a choice, the set says so:
# - an extended key usage that does not allow the role: OpenSSL answers unsupported_certificate,
#   Mbed TLS bad_certificate; RFC 8446 §6.2 names no alert for it, certificate_unknown ("some
#   other issue ... rendering it unacceptable") fits as well;
# - no client certificate: RFC 5246 §7.4.6 names handshake_failure, RFC 8446 §4.4.2.4
#   certificate_required; one each.
EXPECTED = {
    "untrusted": {"unknown_ca"},
    "expired": {"certificate_expired"},
    "wrong-eku": {"unsupported_certificate", "bad_certificate", "certificate_unknown"},
    "no-certificate/1.2": {"handshake_failure"},
    "no-certificate/1.3": {"certificate_required"},
    "key-mismatch": {"decrypt_error"},  # the CertificateVerify signature does not verify
    "server-untrusted": {"unknown_ca"},
}

S_CLIENT_ALERT = re.compile(r"^<<< (?:TLS|DTLS) [0-9.]+, Alert \[length [0-9a-fA-F]+\], (\w+) (\w+)",
                            re.MULTILINE)
GNUTLS_CLI_ALERT = re.compile(r"Received alert \[(\d+)\]")


class Peer:
    """A child process whose stdin stays open (s_client/s_server/gnutls-cli quit on its EOF)."""

    def __init__(self, argv, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w+")
        read_end, self.stdin = os.pipe()
        self.process = subprocess.Popen(argv, stdin=read_end, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        os.close(read_end)
        self.started = time.monotonic()

    def output(self):
        with open(self.log_path) as log:  # the child writes it; this object never does
            return log.read()

    def wait_for(self, pattern, seconds=5):
        regex = re.compile(pattern)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = regex.search(self.output())
            if found:
                return found
            if self.process.poll() is not None:
                return regex.search(self.output())
            time.sleep(0.05)
        return None

    def finish(self, seconds):
        """Waits at most `seconds` (and TIMEOUT_S in all), then ends it. True when it exited."""
        left = max(0.0, min(seconds, TIMEOUT_S - (time.monotonic() - self.started)))
        exited = True
        try:
            self.process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            exited = False
            self.process.kill()
            self.process.wait()
        os.close(self.stdin)
        self.log.close()
        return exited


# How mtls-server/mtls-client refuse a TLS version their library does not implement (exit 2 and
# the manifest's reason): those cases are skipped with that reason, anything else fails.
LIBRARY_LACKS_VERSION = re.compile(r"^mtls-(?:server|client): (tls1\.[23]: .*)$", re.MULTILINE)


class Skip(Exception):
    pass


def library_lacks_version(peer):
    if peer.process.poll() != 2:
        return None
    found = LIBRARY_LACKS_VERSION.search(peer.output())
    return found.group(1) if found else None


def start_mtls_server(server, pki, work, name, version):
    ecdsa = os.path.join(pki, "ecdsa-p256")
    peer = Peer([server, "--listen", "127.0.0.1:0", "--count", "1", "--timeout_ms", "5000",
                 "--tls_version", version,
                 "--trust", f"{ecdsa}/root.crt", "--chain", f"{ecdsa}/server-d1.chain.pem",
                 "--key", f"{ecdsa}/server-d1.key"], os.path.join(work, f"{name}.server.log"))
    found = peer.wait_for(r"listening on [^\s]*:(\d+)")
    if not found:
        peer.finish(0)
        reason = library_lacks_version(peer)
        if reason:
            raise Skip(reason)
        return None, None
    return peer, int(found.group(1))


def s_client_alerts(text):
    return [(level, name) for level, name in S_CLIENT_ALERT.findall(text)]


def probe_server(client_tool, version, credential, server, pki, work, name):
    """Connects a real client to mtls-server; returns (alerts it received, transcript)."""
    mtls_server, port = start_mtls_server(server, pki, work, name, version)
    if mtls_server is None:
        return None, "mtls-server did not start"
    ecdsa = os.path.join(pki, "ecdsa-p256")
    log = os.path.join(work, f"{name}.client.log")
    if client_tool == "s_client":
        argv = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-msg", "-ign_eof",
                "-servername", "server.mtls.test", "-CAfile", f"{ecdsa}/root.crt",
                "-tls1_2" if version == "1.2" else "-tls1_3"]
        if credential:
            argv += ["-cert", os.path.join(pki, credential[0]), "-key",
                     os.path.join(pki, credential[1])]
    else:
        argv = ["gnutls-cli", "-p", str(port), "127.0.0.1", "--x509cafile", f"{ecdsa}/root.crt",
                "--priority", f"NORMAL:-VERS-ALL:+VERS-TLS{version}",
                "--x509certfile", os.path.join(pki, credential[0]),
                "--x509keyfile", os.path.join(pki, credential[1])]
    client = Peer(argv, log)
    client_exited = client.finish(TIMEOUT_S)
    mtls_server.finish(DRAIN_S)
    with open(log) as f:
        transcript = f.read()
    with open(os.path.join(work, f"{name}.server.log")) as f:
        server_said = f.read()
    if client_tool == "s_client":
        alerts = [alert for level, alert in s_client_alerts(transcript) if level == "fatal"]
    else:
        alerts = [ALERT_NAMES.get(int(code), f"alert_{code}")
                  for code in GNUTLS_CLI_ALERT.findall(transcript)]
    note = server_said.strip().splitlines()[1:2]
    if not client_exited:
        note.append(f"the client did not finish within {TIMEOUT_S} s")
    return alerts, "; ".join(note)


def probe_client(version, client, pki, work, name):
    """mtls-client against s_server with an untrusted certificate: what s_server received."""
    ecdsa = os.path.join(pki, "ecdsa-p256")
    invalid = os.path.join(pki, "invalid")
    s_server = Peer(["openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-msg",
                     "-cert", f"{invalid}/server-untrusted.crt",
                     "-key", f"{invalid}/server-untrusted.key", "-CAfile", f"{ecdsa}/root.crt",
                     "-Verify", "1", "-tls1_2" if version == "1.2" else "-tls1_3"],
                    os.path.join(work, f"{name}.s_server.log"))
    found = s_server.wait_for(r"ACCEPT [^\s]*:(\d+)")
    if not found:
        s_server.finish(0)
        return None, "s_server did not start"
    port = int(found.group(1))
    mtls_client = Peer([client, "--connect", f"127.0.0.1:{port}", "--server_name",
                        "server.mtls.test", "--trust", f"{ecdsa}/root.crt",
                        "--chain", f"{ecdsa}/client-d1.chain.pem",
                        "--key", f"{ecdsa}/client-d1.key", "--count", "1", "--timeout_ms", "5000",
                        "--tls_version", version], os.path.join(work, f"{name}.client.log"))
    mtls_client.finish(TIMEOUT_S)
    s_server.finish(DRAIN_S)
    reason = library_lacks_version(mtls_client)
    if reason:
        raise Skip(reason)
    with open(os.path.join(work, f"{name}.s_server.log")) as f:
        transcript = f.read()
    with open(os.path.join(work, f"{name}.client.log")) as f:
        client_said = f.read()
    alerts = [alert for level, alert in s_client_alerts(transcript) if level == "fatal"]
    rejected = [line for line in client_said.splitlines() if "rejected" in line or "failed" in line]
    return alerts, "; ".join(rejected[:1])


def manifest_findings(conformance, work):
    """The backend's "finding:alert-probe/..." rows: case-id prefix -> the library's reason."""
    path = os.path.join(work, "manifest.json")
    subprocess.run([conformance, "--manifest", "--json", path], capture_output=True, check=True,
                   timeout=TIMEOUT_S)
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)["backend"]["manifest"]
    prefix = "finding:"
    return {row["feature"][len(prefix):]: row["reason"] for row in rows
            if row["feature"].startswith(prefix + "alert-probe/")}


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    client, server, conformance, pki = sys.argv[1:]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="alert_probe.") as work:
        findings = manifest_findings(conformance, work)
        cases = []
        for version in ("1.2", "1.3"):
            cases += [
                (f"untrusted/{version}", "untrusted", "s_client", version,
                 ("invalid/client-untrusted.crt", "invalid/client-untrusted.key")),
                (f"expired/{version}", "expired", "s_client", version,
                 ("invalid/client-expired.crt", "invalid/client-expired.key")),
                (f"wrong-eku/{version}", "wrong-eku", "s_client", version,
                 ("invalid/client-serverauth-eku.crt", "invalid/client-serverauth-eku.key")),
                (f"no-certificate/{version}", f"no-certificate/{version}", "s_client", version,
                 None),
                (f"key-mismatch/{version}", "key-mismatch", "gnutls-cli", version,
                 ("invalid/client-wrong-key.crt", "invalid/client-wrong.key")),
            ]
        for name, kind, tool, version, credential in cases:
            what = f"{tool} -> mtls-server, {name}"
            try:
                alerts, note = probe_server(tool, version, credential, server, pki, work,
                                            name.replace("/", "_"))
            except Skip as reason:
                print(f"skip: {what}: the library: {reason}")
                continue
            case_id = f"alert-probe/TLSv{version}/server/{kind.split('/')[0]}"
            failures += judge(what, EXPECTED[kind], alerts, note, finding(findings, case_id))
        for version in ("1.2", "1.3"):
            what = f"mtls-client -> s_server, server-untrusted/{version}"
            try:
                alerts, note = probe_client(version, client, pki, work, f"server-untrusted_{version}")
            except Skip as reason:
                print(f"skip: {what}: the library: {reason}")
                continue
            case_id = f"alert-probe/TLSv{version}/client/server-untrusted"
            failures += judge(what, EXPECTED["server-untrusted"], alerts, note,
                              finding(findings, case_id))
    print(f"{failures} failure(s)")
    return 1 if failures else 0


def finding(findings, case_id):
    return next((reason for prefix, reason in findings.items() if case_id.startswith(prefix)),
                None)


def judge(what, expected, alerts, note, documented):
    """1 when the case fails: a wrong or missing alert the manifest does not document, or a
    documented finding that no longer holds."""
    suffix = f" ({note})" if note else ""
    if alerts is None:
        print(f"FAIL: {what}: {note}")
        return 1
    if alerts and alerts[0] in expected:
        if documented:
            print(f"FAIL: {what}: {alerts[0]}{suffix}: the manifest's finding no longer holds, "
                  f"remove its row")
            return 1
        print(f"ok: {what}: {alerts[0]}{suffix}")
        return 0
    observed = f"observed {alerts[0]}" if alerts else "no alert observed (silent close)"
    if documented:
        print(f"finding: {what}: {observed}{suffix}; the library: {documented}")
        return 0
    print(f"FAIL: {what}: {observed}, expected {'|'.join(sorted(expected))}{suffix}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
