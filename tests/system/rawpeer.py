#!/usr/bin/env python3
"""rawpeer.py: a BGP peer that sends the bytes a test asks for, malformed ones
included, for speaker.sh's rfc7606 case.

usage: rawpeer.py --connect ADDR [--source ADDR] --local-as N --router-id A.B.C.D
                  --next-hop A.B.C.D --next-hop6 X::Y [--ibgp]

With --ibgp the peer is internal: its AS_PATH is empty and its well-formed
UPDATEs carry LOCAL_PREF 100.

Commands, one a line on standard input; one answer line each on standard
output:
  connect             TCP to ADDR:179, OPEN (IPv4 and IPv6 unicast, 4-octet
                      AS), waits for the peer's OPEN and KEEPALIVE:
                      "established" or "failed: why"
  announce PREFIX     a well-formed UPDATE for PREFIX (IPv6 in MP_REACH_NLRI):
                      ORIGIN IGP, AS_PATH local-as, NEXT_HOP, MED 0: "sent"
  send CASE PREFIX    the malformed UPDATE CASE (see CASES) about PREFIX: "sent"
  wait SECONDS        reads what the peer sends for up to SECONDS:
                      "notification CODE SUBCODE", "closed" or "up"
  cases               the case names, on one line
Messages are encoded with fuzz/make_corpus.py's helpers. KEEPALIVEs go out
every second while the session is up; the peer's messages are read and
dropped except NOTIFICATIONs, which end the session.
"""

import argparse
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz"))
import make_corpus as mc  # noqa: E402

HOLD = 30


def aspath(a):
    """The peer's AS_PATH: its AS, or empty from an internal peer."""
    return mc.as_path() if a.ibgp else mc.as_path(mc.segment(mc.SEQ, [a.local_as]))


def lpref(a):
    return mc.local_pref(100) if a.ibgp else b""


def base_attrs(a, med_attr=None):
    """ORIGIN, AS_PATH, NEXT_HOP, then MED (or med_attr), and LOCAL_PREF
    from an internal peer."""
    return (mc.origin(0) + aspath(a) + mc.next_hop(a.next_hop)
            + (med_attr if med_attr is not None else mc.med(0)) + lpref(a))


def v4(a, attrs, p):
    return mc.update(attrs=attrs, nlri_bytes=mc.nlri(p))


def good(a, p):
    if ":" in p:
        return mc.update(attrs=mc.origin(0) + aspath(a) + mc.med(0) + lpref(a)
                         + mc.mp_reach(2, 1, [a.next_hop6], [p]))
    return v4(a, base_attrs(a), p)


# Each case: the UPDATE about prefix p, malformed in one way.
CASES = {
    # RFC 7606 7.1: ORIGIN value undefined, or length not 1.
    "origin-value": lambda a, p: v4(a, mc.origin(3) + aspath(a) + mc.next_hop(a.next_hop), p),
    "origin-length": lambda a, p: v4(a, mc.attr(mc.F_TRANS, 1, b"\x00\x00") + aspath(a)
                                     + mc.next_hop(a.next_hop), p),
    # 7.2: AS_PATH with an undefined segment type; a segment overrunning the attribute.
    "aspath-segment-type": lambda a, p: v4(a, mc.origin(0)
                                           + mc.as_path(mc.segment(5, [a.local_as]))
                                           + mc.next_hop(a.next_hop), p),
    "aspath-overrun": lambda a, p: v4(a, mc.origin(0)
                                      + mc.attr(mc.F_TRANS, 2, struct.pack("!BBI", 2, 3, a.local_as))
                                      + mc.next_hop(a.next_hop), p),
    # 7.3: NEXT_HOP length not 4.
    "nexthop-length": lambda a, p: v4(a, mc.origin(0) + aspath(a)
                                      + mc.attr(mc.F_TRANS, 3, b"\x0a\x61\x00\x02\x00"), p),
    # 7.4: MULTI_EXIT_DISC length not 4.
    "med-length": lambda a, p: v4(a, base_attrs(a, mc.attr(mc.F_OPT, 4, b"\x00\x00\x07")), p),
    # 7.5: LOCAL_PREF from an external peer (here also of a wrong length).
    "localpref-ebgp": lambda a, p: v4(a, base_attrs(a) + mc.attr(mc.F_TRANS, 5, b"\x00\x00\x64"), p),
    # 7.5: LOCAL_PREF of length other than 4 from an internal peer.
    "localpref-ibgp-length": lambda a, p: v4(a, mc.origin(0) + aspath(a) + mc.next_hop(a.next_hop)
                                             + mc.attr(mc.F_TRANS, 5, b"\x00\x00\x64"), p),
    # 7.9: ORIGINATOR_ID of length other than 4 from an internal peer.
    "originator-id-length": lambda a, p: v4(a, base_attrs(a) + mc.attr(mc.F_OPT, 9, b"\x0a\x61\x00\x03\x00"), p),
    # 7.10: CLUSTER_LIST of a length not a multiple of 4.
    "cluster-list-length": lambda a, p: v4(a, base_attrs(a) + mc.attr(mc.F_OPT, 10, b"\x0a\x61\x00"), p),
    # 3(g): an attribute twice: the later copy (MED 20) is discarded.
    "duplicate-med": lambda a, p: v4(a, base_attrs(a, mc.med(10)) + mc.med(20), p),
    # 3(g): MP_REACH_NLRI twice.
    "duplicate-mp-reach": lambda a, p: mc.update(
        attrs=mc.origin(0) + aspath(a) + mc.mp_reach(2, 1, [a.next_hop6], [p])
        + mc.mp_reach(2, 1, [a.next_hop6], [p])),
    # 3(c): a well-known attribute flagged optional.
    "flags-origin": lambda a, p: v4(a, mc.attr(mc.F_OPT | mc.F_TRANS, 1, b"\x00") + aspath(a)
                                    + mc.next_hop(a.next_hop), p),
    # 3(c) with 7.6: ATOMIC_AGGREGATE flagged optional: attribute discard.
    "flags-atomic-aggregate": lambda a, p: v4(a, base_attrs(a)
                                              + mc.attr(mc.F_OPT | mc.F_TRANS, 6, b""), p),
    # 7.8: COMMUNITIES length not a multiple of 4.
    "communities-length": lambda a, p: v4(a, base_attrs(a)
                                          + mc.attr(mc.F_OPT | mc.F_TRANS, 8, b"\xfd\xe9\x00\x01\x00"), p),
    # 3(d): a mandatory well-known attribute missing (AS_PATH; NEXT_HOP).
    "missing-aspath": lambda a, p: v4(a, mc.origin(0) + mc.next_hop(a.next_hop), p),
    "missing-nexthop": lambda a, p: v4(a, mc.origin(0) + aspath(a), p),
    # 4: the last attribute's length runs past the path attributes; the
    # Total Path Attribute Length still finds the NLRI.
    "attr-overrun": lambda a, p: v4(a, base_attrs(a)
                                    + struct.pack("!BBB", mc.F_OPT | mc.F_TRANS, 8, 40) + b"\xfd\xe9\x00\x01", p),
    # RFC 4271 6.3 (kept by RFC 7606 4): Total Path Attribute Length past the message.
    "total-length-overrun": lambda a, p: mc.message(
        mc.UPDATE, struct.pack("!HH", 0, len(base_attrs(a)) + 64) + base_attrs(a) + mc.nlri(p)),
    # 7.11: MP_REACH_NLRI with a next hop length that fits no address.
    "mp-reach-nexthop-length": lambda a, p: mc.update(
        attrs=mc.origin(0) + aspath(a)
        + mc.attr(mc.F_OPT, 14, struct.pack("!HBB", 2, 1, 5) + b"\x20\x01\x0d\xb8\x00" + b"\x00"
                  + mc.nlri(p))),
    # 7.11 / RFC 4760: MP_REACH_NLRI with the unspecified address as next hop.
    "mp-reach-nexthop-unspecified": lambda a, p: mc.update(
        attrs=mc.origin(0) + aspath(a) + mc.med(0) + mc.mp_reach(2, 1, ["::"], [p])),
}


class Peer:
    def __init__(self, args):
        self.a = args
        self.sock = None
        self.buf = b""
        self.last_ka = 0.0
        self.ended = None  # how the last session ended, until the next connect

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = None
        self.buf = b""

    def send(self, msg):
        self.sock.sendall(msg)

    def read_messages(self, timeout):
        """The messages that arrive within timeout; None when the peer closed."""
        out = []
        end = time.monotonic() + timeout
        while True:
            self.keepalive()
            left = end - time.monotonic()
            if left <= 0:
                return out
            r, _, _ = select.select([self.sock], [], [], min(left, 0.5))
            if not r:
                continue
            data = self.sock.recv(65536)
            if not data:
                out.append(None)
                return out
            self.buf += data
            while len(self.buf) >= 19:
                length = struct.unpack("!H", self.buf[16:18])[0]
                if length < 19 or len(self.buf) < length:
                    break
                out.append((self.buf[18], self.buf[19:length]))
                self.buf = self.buf[length:]
            if out:
                return out

    def keepalive(self):
        if self.sock and time.monotonic() - self.last_ka >= 1.0:
            self.last_ka = time.monotonic()
            try:
                self.send(mc.message(mc.KEEPALIVE))
            except OSError:
                pass

    def connect(self):
        self.close()
        self.ended = None
        try:
            self.sock = socket.create_connection(
                (self.a.connect, 179), timeout=5,
                source_address=(self.a.source, 0) if self.a.source else None)
        except OSError as e:
            self.sock = None
            return "failed: connect: %s" % e
        caps = [mc.cap_mp(1, 1), mc.cap_mp(2, 1), mc.cap_as4(self.a.local_as)]
        asn = self.a.local_as if self.a.local_as < 65536 else mc.AS_TRANS
        self.send(mc.message(mc.OPEN, mc.open_body(asn, HOLD, self.a.router_id, caps)))
        got_open = False
        end = time.monotonic() + 10
        while time.monotonic() < end:
            for m in self.read_messages(1):
                if m is None:
                    self.close()
                    return "failed: closed during the OPEN exchange"
                if m[0] == mc.OPEN:
                    got_open = True
                    self.send(mc.message(mc.KEEPALIVE))
                elif m[0] == mc.NOTIFICATION:
                    self.close()
                    return "failed: notification %d %d" % (m[1][0], m[1][1])
                elif m[0] == mc.KEEPALIVE and got_open:
                    return "established"
        self.close()
        return "failed: no OPEN and KEEPALIVE within 10 s"

    def wait(self, seconds):
        end = time.monotonic() + seconds
        while self.sock and time.monotonic() < end:
            for m in self.read_messages(end - time.monotonic()):
                if m is None:
                    self.ended = self.ended or "closed"
                    self.close()
                elif m[0] == mc.NOTIFICATION:
                    self.ended = "notification %d %d" % (m[1][0], m[1][1])
                    self.close()
                if not self.sock:
                    break
        return (self.ended or "closed") if not self.sock else "up"

    def command(self, line):
        words = line.split()
        if not words:
            return "error: empty command"
        if words[0] == "connect":
            return self.connect()
        if words[0] == "cases":
            return " ".join(CASES)
        if words[0] == "wait" and len(words) == 2:
            return self.wait(float(words[1]))
        if not self.sock:
            return "error: not connected"
        if words[0] == "announce" and len(words) == 2:
            self.send(good(self.a, words[1]))
            return "sent"
        if words[0] == "send" and len(words) == 3 and words[1] in CASES:
            self.send(CASES[words[1]](self.a, words[2]))
            return "sent"
        return "error: unknown command '%s'" % line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--local-as", type=int, required=True)
    ap.add_argument("--router-id", required=True)
    ap.add_argument("--next-hop", required=True)
    ap.add_argument("--next-hop6", required=True)
    ap.add_argument("--source")
    ap.add_argument("--ibgp", action="store_true")
    peer = Peer(ap.parse_args())
    while True:
        r, _, _ = select.select([sys.stdin], [], [], 0.5)
        if peer.sock:
            peer.keepalive()
            # Drain what the peer sent meanwhile (its UPDATEs, KEEPALIVEs).
            rr, _, _ = select.select([peer.sock], [], [], 0)
            if rr and not r and peer.wait(0.01) != "up":
                sys.stderr.write("rawpeer: session ended between commands: %s\n" % peer.ended)
        if not r:
            continue
        line = sys.stdin.readline()
        if not line:
            return 0
        try:
            answer = peer.command(line.strip())
        except OSError as e:
            peer.close()
            answer = "error: %s" % e
        print(answer, flush=True)


if __name__ == "__main__":
    sys.exit(main())
