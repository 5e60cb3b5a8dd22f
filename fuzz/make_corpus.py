#!/usr/bin/env python3
"""Writes a seed corpus of BGP messages for the fuzz targets.

usage: make_corpus.py [--update-rib] DIR

Each file holds one message (a few hold two, or a bare UPDATE body): valid
OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH and UPDATE messages covering every
path attribute type the codec knows, and slightly broken ones that hit the
error paths of docs/error-handling.md. Standard library only; the output is
deterministic.

With --update-rib the seeds are for fuzz_update_rib: records of a peer
selector (0: external peer with the route-map, 1: internal peer with
soft-reconfiguration and a prefix-list, 2: external 2-octet-AS peer), a
two-octet length and an UPDATE body. Every UPDATE seed above becomes one
record for each peer, and a few sequences exercise the policy and the RIB
(the same prefix from several peers, announce then withdraw, routes matching
each route-map entry).
"""

import ipaddress
import os
import struct
import sys

# --- message framing -------------------------------------------------------

OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
MARKER = b"\xff" * 16


def message(mtype, body=b"", length=None, marker=MARKER):
    """A whole message; length overrides the header's length field."""
    if length is None:
        length = 19 + len(body)
    return marker + struct.pack("!HB", length, mtype) + body


# --- OPEN ------------------------------------------------------------------

def cap(code, value=b""):
    return struct.pack("!BB", code, len(value)) + value


def cap_mp(afi, safi):
    return cap(1, struct.pack("!HBB", afi, 0, safi))


def cap_as4(asn):
    return cap(65, struct.pack("!I", asn))


def cap_fqdn(host, domain=""):
    h, d = host.encode(), domain.encode()
    return cap(73, bytes([len(h)]) + h + bytes([len(d)]) + d)


def cap_gr(flags, time, afs=()):
    v = struct.pack("!H", (flags << 12) | (time & 0xFFF))
    for afi, safi, afflags in afs:
        v += struct.pack("!HBB", afi, safi, afflags)
    return cap(64, v)


def open_body(asn, hold, router_id, caps, one_param_per_cap=True, version=4):
    if one_param_per_cap:
        params = b"".join(struct.pack("!BB", 2, len(c)) + c for c in caps)
    else:
        allcaps = b"".join(caps)
        params = struct.pack("!BB", 2, len(allcaps)) + allcaps if caps else b""
    rid = ipaddress.IPv4Address(router_id).packed
    return struct.pack("!BHH", version, asn, hold) + rid + bytes([len(params)]) + params


def open_body_extended_params(asn, hold, router_id, caps):
    """RFC 9072: optional parameters with two-octet lengths."""
    allcaps = b"".join(caps)
    params = struct.pack("!BH", 2, len(allcaps)) + allcaps
    rid = ipaddress.IPv4Address(router_id).packed
    return (struct.pack("!BHH", 4, asn, hold) + rid
            + struct.pack("!BBH", 255, 255, len(params)) + params)


# FRR 8.4 style capability set of the reference deployment.
FRR_CAPS = [
    cap_mp(1, 1),
    cap(2),             # route refresh
    cap(70),            # enhanced route refresh
    cap_as4(65001),
    cap(6),             # extended message
    cap_fqdn("vm-hub00"),
    cap_gr(0x4, 120),
]

# --- UPDATE ----------------------------------------------------------------

F_OPT, F_TRANS, F_PARTIAL, F_EXTLEN = 0x80, 0x40, 0x20, 0x10


def attr(flags, atype, value, extlen=False):
    if extlen or len(value) > 255:
        return struct.pack("!BBH", flags | F_EXTLEN, atype, len(value)) + value
    return struct.pack("!BBB", flags, atype, len(value)) + value


def nlri(*prefixes):
    out = b""
    for p in prefixes:
        net = ipaddress.ip_network(p, strict=False)
        n = (net.prefixlen + 7) // 8
        out += bytes([net.prefixlen]) + net.network_address.packed[:n]
    return out


def segment(stype, asns, as4=True):
    fmt = "!I" if as4 else "!H"
    return struct.pack("!BB", stype, len(asns)) + b"".join(struct.pack(fmt, a) for a in asns)


def origin(v=0):
    return attr(F_TRANS, 1, bytes([v]))


def as_path(*segments):
    return attr(F_TRANS, 2, b"".join(segments))


def next_hop(addr):
    return attr(F_TRANS, 3, ipaddress.IPv4Address(addr).packed)


def med(v):
    return attr(F_OPT, 4, struct.pack("!I", v))


def local_pref(v):
    return attr(F_TRANS, 5, struct.pack("!I", v))


def atomic_aggregate():
    return attr(F_TRANS, 6, b"")


def aggregator(asn, addr, as4=True):
    a = struct.pack("!I" if as4 else "!H", asn)
    return attr(F_OPT | F_TRANS, 7, a + ipaddress.IPv4Address(addr).packed)


def communities(*vals):
    return attr(F_OPT | F_TRANS, 8, b"".join(struct.pack("!I", v) for v in vals))


def originator_id(addr):
    return attr(F_OPT, 9, ipaddress.IPv4Address(addr).packed)


def cluster_list(*addrs):
    return attr(F_OPT, 10, b"".join(ipaddress.IPv4Address(a).packed for a in addrs))


def mp_reach(afi, safi, nexthops, prefixes):
    nh = b"".join(ipaddress.ip_address(a).packed for a in nexthops)
    v = struct.pack("!HBB", afi, safi, len(nh)) + nh + b"\x00" + nlri(*prefixes)
    return attr(F_OPT, 14, v)


def mp_unreach(afi, safi, prefixes):
    return attr(F_OPT, 15, struct.pack("!HB", afi, safi) + nlri(*prefixes))


def ext_communities(*vals):
    return attr(F_OPT | F_TRANS, 16, b"".join(vals))


def as4_path(*segments):
    return attr(F_OPT | F_TRANS, 17, b"".join(segments))


def as4_aggregator(asn, addr):
    return attr(F_OPT | F_TRANS, 18, struct.pack("!I", asn) + ipaddress.IPv4Address(addr).packed)


def large_communities(*triples):
    return attr(F_OPT | F_TRANS, 32, b"".join(struct.pack("!III", *t) for t in triples))


def update_body(withdrawn=b"", attrs=b"", nlri_bytes=b""):
    return (struct.pack("!H", len(withdrawn)) + withdrawn
            + struct.pack("!H", len(attrs)) + attrs + nlri_bytes)


def update(withdrawn=b"", attrs=b"", nlri_bytes=b""):
    return message(UPDATE, update_body(withdrawn, attrs, nlri_bytes))


SEQ, SET, CONFED_SEQ, CONFED_SET = 2, 1, 3, 4
AS_TRANS = 23456

BASE = origin(2) + as_path(segment(SEQ, [65001])) + next_hop("10.0.0.4") + med(0)
BASE2 = origin(0) + as_path(segment(SEQ, [65001], as4=False)) + next_hop("10.0.0.4")


def seeds():
    s = {}

    # OPEN
    s["open-frr"] = message(OPEN, open_body(65001, 180, "10.0.0.4", FRR_CAPS))
    s["open-frr-one-param"] = message(
        OPEN, open_body(65001, 180, "10.0.0.4", FRR_CAPS, one_param_per_cap=False))
    s["open-no-params"] = message(OPEN, open_body(65515, 90, "10.1.0.4", []))
    s["open-as-trans"] = message(OPEN, open_body(
        AS_TRANS, 0, "192.0.2.1", [cap_mp(1, 1), cap_mp(2, 1), cap_as4(4200000001)]))
    s["open-ext-params"] = message(OPEN, open_body_extended_params(
        65515, 180, "10.1.0.5", FRR_CAPS + [cap(0x99, b"\x01\x02\x03")]))
    s["open-gr-afs"] = message(OPEN, open_body(65002, 240, "10.0.0.5", [
        cap_mp(1, 1), cap_mp(2, 1), cap(128), cap(2),
        cap_gr(0x8 | 0x4, 300, [(1, 1, 0x80), (2, 1, 0)]),
        cap_fqdn("router-a", "example.net"),
        cap(69, struct.pack("!HBB", 1, 1, 1)),  # ADD-PATH, kept as unknown
    ]))
    s["open-bad-version"] = message(OPEN, open_body(65001, 180, "10.0.0.4", [], version=3))
    s["open-hold-1"] = message(OPEN, open_body(65001, 1, "10.0.0.4", []))
    s["open-bgp-id-0"] = message(OPEN, open_body(65001, 180, "0.0.0.0", []))
    s["open-param-type-1"] = message(
        OPEN, open_body(65001, 180, "10.0.0.4", []) [:-1] + b"\x04\x01\x02\xaa\xbb")
    s["open-cap-overrun"] = message(
        OPEN, open_body(65001, 180, "10.0.0.4", []) [:-1] + b"\x04\x02\x02\x41\x04")
    s["open-as4-bad-len"] = message(OPEN, open_body(65001, 180, "10.0.0.4", [cap(65, b"\x00\xfd")]))

    # KEEPALIVE
    s["keepalive"] = message(KEEPALIVE)
    s["keepalive-long"] = message(KEEPALIVE, b"\x00")
    s["bad-marker"] = message(KEEPALIVE, marker=b"\xff" * 15 + b"\xfe")
    s["bad-type"] = message(9, b"\x00\x00\x00\x00")
    s["bad-length-short"] = message(KEEPALIVE, length=18)
    s["bad-length-long"] = message(UPDATE, update_body(), length=5000)
    s["truncated"] = message(UPDATE, update_body(attrs=BASE, nlri_bytes=nlri("10.10.0.0/16")))[:30]

    # NOTIFICATION
    shut = "maintenance window".encode()
    s["notification-shutdown"] = message(NOTIFICATION, bytes([6, 2, len(shut)]) + shut)
    s["notification-shutdown-overrun"] = message(NOTIFICATION, bytes([6, 4, 200]) + b"abc")
    s["notification-hold"] = message(NOTIFICATION, bytes([4, 0]))
    s["notification-update-err"] = message(NOTIFICATION, bytes([3, 10]) + b"\x21\x0a\x0a\x00\x00\x00")
    s["notification-short"] = message(NOTIFICATION, b"\x06", length=20)

    # ROUTE-REFRESH
    s["route-refresh"] = message(ROUTE_REFRESH, struct.pack("!HBB", 1, 0, 1))
    s["route-refresh-borr"] = message(ROUTE_REFRESH, struct.pack("!HBB", 2, 1, 1))
    s["route-refresh-eorr"] = message(ROUTE_REFRESH, struct.pack("!HBB", 1, 2, 1))
    s["route-refresh-bad-len"] = message(ROUTE_REFRESH, struct.pack("!HBBB", 1, 0, 1, 0))

    # UPDATE: valid
    s["update-nva"] = update(attrs=BASE, nlri_bytes=nlri("10.10.0.0/16"))
    s["update-as2"] = update(attrs=BASE2, nlri_bytes=nlri("10.20.0.0/16", "10.21.1.0/24"))
    s["update-withdraw"] = update(withdrawn=nlri("10.10.0.0/16", "0.0.0.0/0", "192.0.2.1/32"))
    s["update-eor-ipv4"] = update()
    s["update-eor-ipv6"] = update(attrs=mp_unreach(2, 1, []))
    s["update-all-attrs"] = update(
        attrs=origin(0)
        + as_path(segment(SEQ, [65515, 12076]), segment(SET, [64512, 64513]))
        + next_hop("10.0.0.4") + med(100) + local_pref(200) + atomic_aggregate()
        + aggregator(65515, "10.1.0.4") + communities(0xFDE90064, 0xFFFFFF01)
        + originator_id("10.0.0.9") + cluster_list("10.0.0.1", "10.0.0.2")
        + ext_communities(b"\x00\x02\xfd\xe9\x00\x00\x00\x64")
        + large_communities((65001, 1, 2), (4200000001, 3, 4))
        + attr(F_OPT | F_TRANS, 99, b"opaque")  # unknown, kept with Partial set
        + attr(F_OPT, 100, b"\x01\x02")          # unknown non-transitive, ignored
        , nlri_bytes=nlri("10.10.0.0/16", "10.11.0.0/17", "10.12.128.0/25"))
    s["update-as2-as4path"] = update(
        attrs=origin(0)
        + as_path(segment(SEQ, [65001, AS_TRANS, AS_TRANS], as4=False))
        + next_hop("10.0.0.4")
        + aggregator(AS_TRANS, "10.0.0.4", as4=False)
        + as4_path(segment(SEQ, [4200000001, 4200000002]))
        + as4_aggregator(4200000002, "10.0.0.4"),
        nlri_bytes=nlri("172.16.0.0/12"))
    s["update-confed"] = update(
        attrs=origin(0) + as_path(segment(CONFED_SEQ, [64600]), segment(CONFED_SET, [64601, 64602]),
                                  segment(SEQ, [65001])) + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.30.0.0/16"))
    s["update-mp-ipv6"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(2, 1, ["2001:db8::4"], ["2001:db8:10::/48", "2001:db8:11::/64", "::/0"]))
    s["update-mp-ipv6-linklocal"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(2, 1, ["2001:db8::4", "fe80::4"], ["2001:db8:20::/48"]))
    s["update-mp-ipv4"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(1, 1, ["10.0.0.4"], ["10.40.0.0/16"]))
    s["update-mp-unreach-ipv6"] = update(attrs=mp_unreach(2, 1, ["2001:db8:10::/48", "2001:db8::/32"]))
    s["update-mp-other-family"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + attr(F_OPT, 14, struct.pack("!HBB", 25, 65, 4) + b"\x0a\x00\x00\x04\x00" + b"\x01\x02\x03"))
    s["update-extlen-attr"] = update(
        attrs=origin(0) + attr(F_TRANS, 2, segment(SEQ, list(range(64512, 64512 + 70))), extlen=True)
        + next_hop("10.0.0.4"), nlri_bytes=nlri("10.50.0.0/16"))
    s["update-host-bits"] = update(attrs=BASE, nlri_bytes=nlri("11.13.0.0/13") [:1] + b"\x0b\x0d")
    many = [f"10.{i >> 8}.{i & 255}.0/24" for i in range(1500)]
    s["update-extended-size"] = update(attrs=BASE, nlri_bytes=nlri(*many))

    # UPDATE: broken
    s["update-aspath-zero-segment"] = update(
        attrs=origin(2) + as_path(segment(SEQ, [])) + next_hop("10.0.0.4") + med(0),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-aspath-bad-seg-type"] = update(
        attrs=origin(0) + as_path(segment(7, [65001])) + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-aspath-as0"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [0])) + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-aspath-trailing"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]) + b"\x02") + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-origin-3"] = update(
        attrs=origin(3) + as_path(segment(SEQ, [65001])) + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-nexthop-len5"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001])) + attr(F_TRANS, 3, b"\x0a\x00\x00\x04\x00"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-nexthop-loopback"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001])) + next_hop("127.0.0.1"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-origin-flags"] = update(
        attrs=attr(F_OPT | F_TRANS, 1, b"\x00") + as_path(segment(SEQ, [65001])) + next_hop("10.0.0.4"),
        nlri_bytes=nlri("10.10.0.0/16"))
    s["update-missing-nexthop"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001])), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-local-pref-bad"] = update(
        attrs=BASE + attr(F_TRANS, 5, b"\x00\x64"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-communities-bad"] = update(
        attrs=BASE + attr(F_OPT | F_TRANS, 8, b"\x00\x01\x02"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-aggregator-bad"] = update(
        attrs=BASE + attr(F_OPT | F_TRANS, 7, b"\x00\x01\x02"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-atomic-bad"] = update(
        attrs=BASE + attr(F_TRANS, 6, b"\x01"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-unknown-wellknown"] = update(
        attrs=BASE + attr(F_TRANS, 50, b"\x01"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-duplicate-origin"] = update(attrs=BASE + origin(0), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-nlri-len33"] = update(attrs=BASE, nlri_bytes=b"\x21\x0a\x0a\x00\x00\x00")
    s["update-nlri-overrun"] = update(attrs=BASE, nlri_bytes=b"\x18\x0a\x0a")
    s["update-withdrawn-overrun"] = message(UPDATE, b"\x00\x10\x18\x0a\x0a\x00\x00\x00")
    s["update-attrlen-overrun"] = message(UPDATE, b"\x00\x00\x01\x00" + BASE)
    s["update-attr-overrun"] = update(
        attrs=origin(0) + b"\x40\x02\x30\x02\x01\x00\x00\xfd\xe9", nlri_bytes=b"")
    s["update-attr-overrun-nlri"] = message(
        UPDATE, struct.pack("!HH", 0, 9) + origin(0) + b"\x40\x03\x09\x0a\x00" + nlri("10.10.0.0/16"))
    s["update-mp-reach-twice"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(2, 1, ["2001:db8::4"], ["2001:db8:10::/48"])
        + mp_reach(2, 1, ["2001:db8::4"], ["2001:db8:11::/48"]))
    s["update-mp-reach-bad-nhlen"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + attr(F_OPT, 14, struct.pack("!HBB", 2, 1, 5) + b"\x20\x01\x0d\xb8\x00\x00\x30\x20\x01"))
    s["update-mp-reach-bad-prefix"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + attr(F_OPT, 14, struct.pack("!HBB", 2, 1, 16) + ipaddress.IPv6Address("2001:db8::4").packed
               + b"\x00\x81\x20\x01"))
    s["update-mp-reach-multicast-nh"] = update(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(2, 1, ["ff02::1"], ["2001:db8:10::/48"]))
    s["update-mp-unreach-short"] = update(attrs=attr(F_OPT, 15, b"\x00\x02"))
    s["update-as4path-on-as4"] = update(
        attrs=BASE + as4_path(segment(SEQ, [4200000001])), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-as4path-broken"] = update(
        attrs=BASE2 + as4_path(segment(SEQ, [4200000001]) + b"\x02\x05"), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-large-comm-bad"] = update(
        attrs=BASE + attr(F_OPT | F_TRANS, 32, b"\x00" * 13), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-ext-comm-bad"] = update(
        attrs=BASE + attr(F_OPT | F_TRANS, 16, b"\x00" * 7), nlri_bytes=nlri("10.10.0.0/16"))
    s["update-cluster-list-bad"] = update(
        attrs=BASE + attr(F_OPT, 10, b"\x0a\x00\x00"), nlri_bytes=nlri("10.10.0.0/16"))

    # several messages in one input
    s["stream-open-keepalive-update"] = (s["open-frr"] + s["keepalive"] + s["update-nva"]
                                         + s["update-eor-ipv4"])
    s["stream-update-then-garbage"] = s["update-nva"] + b"\xff" * 10

    # bare UPDATE bodies, for bgp_msg_decode_update_body
    s["body-nva"] = update_body(attrs=BASE, nlri_bytes=nlri("10.10.0.0/16"))
    s["body-mp-ipv6"] = update_body(
        attrs=origin(0) + as_path(segment(SEQ, [65001]))
        + mp_reach(2, 1, ["2001:db8::4"], ["2001:db8:10::/48"]))
    s["body-withdraw"] = update_body(withdrawn=nlri("10.10.0.0/16"))
    s["body-empty"] = update_body()
    return s


# --- fuzz_update_rib -------------------------------------------------------

def record(peer, body):
    return struct.pack("!BH", peer, len(body)) + body


def update_bodies(data):
    """The UPDATE bodies of a seed made of whole messages."""
    out = []
    while len(data) >= 19 and data[:16] == MARKER:
        length = struct.unpack("!H", data[16:18])[0]
        if length < 19 or length > len(data):
            break
        if data[18] == UPDATE:
            out.append(data[19:length])
        data = data[length:]
    return out


def rib_seeds():
    s = {}
    for name, data in seeds().items():
        bodies = [data] if name.startswith("body-") else update_bodies(data)
        if not bodies:
            continue
        for peer in range(3):
            s["%s-peer%d" % (name, peer)] = b"".join(record(peer, b) for b in bodies)

    def path(*asns):
        return as_path(segment(SEQ, list(asns)))

    def path2(*asns):
        return as_path(segment(SEQ, list(asns), as4=False))

    def body(p, attrs, prefixes):
        if ":" in prefixes[0]:
            return update_body(attrs=attrs + mp_reach(2, 1, ["2001:db8::2"], prefixes))
        return update_body(attrs=attrs + next_hop("10.0.0.2"), nlri_bytes=nlri(*prefixes))

    azure = origin(0) + path(65515, 12076)
    s["rib-azure-then-withdraw"] = (
        record(0, body(0, azure, ["10.100.0.0/16", "10.101.0.0/24"]))
        + record(0, update_body(withdrawn=nlri("10.100.0.0/16"))))
    s["rib-same-prefix-three-peers"] = (
        record(0, body(0, azure + med(10), ["10.10.0.0/16"]))
        + record(1, body(1, origin(0) + path() + local_pref(150) + med(5), ["10.10.0.0/16"]))
        + record(2, body(2, origin(1) + path2(64999, 65010), ["10.10.0.0/16"])))
    s["rib-community-entries"] = (
        record(0, body(0, origin(0) + path(65002) + communities(0xFDEA000F), ["192.0.2.0/24"]))
        + record(0, body(0, origin(0) + path(65002) + communities(0xFFFFFF01), ["198.51.100.0/24"]))
        + record(0, body(0, origin(0) + path(65002) + large_communities((65002, 1, 1)),
                         ["203.0.113.0/24"])))
    s["rib-bogon-and-long"] = (
        record(0, body(0, origin(0) + path(65002, 64512), ["10.20.0.0/16"]))
        + record(1, body(1, origin(0) + path(), ["10.30.0.0/31", "10.30.0.0/24"])))
    s["rib-ipv6"] = (
        record(0, body(0, origin(0) + path(65002), ["2001:db8:1::/48", "2001:db8:2::/64"]))
        + record(1, body(1, origin(0) + path() + local_pref(100), ["2001:db8:1::/48"]))
        + record(0, update_body(attrs=mp_unreach(2, 1, ["2001:db8:1::/48"]))))
    return s


def main(argv):
    args = argv[1:]
    rib = args[:1] == ["--update-rib"]
    if rib:
        args = args[1:]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    out = args[0]
    os.makedirs(out, exist_ok=True)
    for name, data in (rib_seeds() if rib else seeds()).items():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
