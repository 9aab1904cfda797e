#!/usr/bin/env python3
"""gen_capture.py — synthetic but structurally valid IKEv2/ESP captures for
benchmarking and stress-testing ikediag. Python 3 standard library only.

Kinds (--kind):
  esp      ESP-dominated: >= 90 % ESP (IP proto 50, and ESP-in-UDP 4500 for
           SAs that floated), the rest IKEv2 for 10,000 x scale IKE SAs.
           About 1.1 million packets x scale.
  ike      IKE only: >= 300,000 x scale IKE packets (about 36,000 x scale SAs).
  spis     hostile: N distinct IKE SAs (--count, default 10^6), each a lone
           IKE_SA_INIT request.
  mids     hostile: one IKE SA, then N INFORMATIONAL request/response pairs
           with consecutive Message IDs (N = --count).
  retrans  hostile: one IKE_SA_INIT request retransmitted N times.
  absurd   hostile: N messages with absurd header fields: MIDs near 2^32,
           IKE length fields that disagree with the UDP length, huge payload
           lengths, unknown exchange types, both/no I and R flags, versions.

Every SA of esp/ike has a full IKE_SA_INIT (SA, KE, Nonce, NAT_DETECTION
notifies, all lengths right) and IKE_AUTH (one Encrypted payload of random
bytes); some have CREATE_CHILD_SA and INFORMATIONAL exchanges, byte-identical
retransmissions, INVALID_KE_PAYLOAD retries, NO_PROPOSAL_CHOSEN failures and
a float to UDP 4500 (non-ESP marker). Addresses: 192.0.2.0/24,
198.51.100.0/24 and 203.0.113.0/24 only (RFC 5737). IPv4 checksums are
computed, UDP checksums are 0.
"""
import argparse
import hashlib
import random
import struct
import sys

# IKEv2 numbers
EX_SA_INIT, EX_AUTH, EX_CHILD, EX_INFO = 34, 35, 36, 37
PL_NONE, PL_SA, PL_KE, PL_IDI, PL_IDR, PL_NONCE, PL_N, PL_D, PL_SK = 0, 33, 34, 35, 36, 40, 41, 42, 46
N_NO_PROPOSAL_CHOSEN, N_INVALID_KE = 14, 17
N_NATD_SRC, N_NATD_DST = 16388, 16389
F_I, F_R = 0x08, 0x20


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 22)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t = 1700000000.0
        self.n = 0
        self.n_esp = 0
        self.n_ike = 0

    def tick(self, dt):
        self.t += dt

    def ipv4(self, src, dst, proto, payload):
        total = 20 + len(payload)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, self.n & 0xFFFF, 0x4000, 64, proto, 0, src, dst)
        s = sum(struct.unpack("!10H", hdr))
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        hdr = hdr[:10] + struct.pack("!H", ~s & 0xFFFF) + hdr[12:]
        frame = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + hdr + payload
        t = self.t
        sec = int(t)
        usec = int((t - sec) * 1e6)
        self.f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        self.f.write(frame)
        self.n += 1

    def udp(self, src, sport, dst, dport, payload):
        self.ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)

    def ike(self, src, sport, dst, dport, msg):
        if sport == 4500 or dport == 4500:
            msg = b"\x00\x00\x00\x00" + msg  # non-ESP marker
        self.udp(src, sport, dst, dport, msg)
        self.n_ike += 1

    def close(self):
        self.f.close()


def payload(next_pl, body):
    return struct.pack("!BBH", next_pl, 0, 4 + len(body)) + body


def chain(items):
    """items: list of (type, body) -> bytes with next-payload fields linked."""
    out = []
    for i, (_, body) in enumerate(items):
        nxt = items[i + 1][0] if i + 1 < len(items) else PL_NONE
        out.append(payload(nxt, body))
    return items[0][0] if items else PL_NONE, b"".join(out)


def ike_header(ispi, rspi, first, exch, flags, mid, body_len):
    return struct.pack("!QQBBBBII", ispi, rspi, first, 0x20, exch, flags, mid, 28 + body_len)


def ike_msg(ispi, rspi, exch, flags, mid, items):
    first, body = chain(items)
    return ike_header(ispi, rspi, first, exch, flags, mid, len(body)) + body


def transform(last, ttype, tid, attrs=b""):
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


def sa_body(groups, spi=b""):
    tr = [transform(False, 1, 12, struct.pack("!HH", 0x800E, 256)),  # ENCR AES-CBC-256
          transform(False, 2, 5),                                     # PRF HMAC-SHA2-256
          transform(False, 3, 12)]                                    # INTEG HMAC-SHA2-256-128
    for i, g in enumerate(groups):
        tr.append(transform(i == len(groups) - 1, 4, g))
    trs = b"".join(tr)
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(spi) + len(trs), 1, 1, len(spi), len(tr)) + spi + trs
    return prop


def notify(ntype, data=b""):
    return (PL_N, struct.pack("!BBH", 0, 0, ntype) + data)


def natd(ispi, rspi, addr, port):
    return hashlib.sha1(struct.pack("!QQ", ispi, rspi) + addr + struct.pack("!H", port)).digest()


class Rand:
    """Random bytes from a pre-generated pool (fast)."""

    def __init__(self, rng):
        self.rng = rng
        self.pool = rng.randbytes(1 << 20)

    def bytes(self, n):
        o = self.rng.randrange(0, len(self.pool) - n)
        return self.pool[o:o + n]


def ke_len(group):
    return {19: 64, 14: 256, 31: 32}[group]


class SA:
    """One IKE SA's life as a generator of packets (callables on the Pcap)."""

    def __init__(self, g, idx):
        rng = g.rng
        self.g = g
        self.ispi = rng.getrandbits(64) | 1
        self.rspi = rng.getrandbits(64) | 1
        pool = (b"\xc6\x33\x64", b"\xcb\x00\x71")  # 198.51.100.x, 203.0.113.x
        self.iaddr = pool[idx & 1] + bytes([1 + (idx >> 1) % 254])
        self.raddr = b"\xc0\x00\x02" + bytes([1 + idx % 16])  # 192.0.2.1-16
        self.iport = self.rport = 500
        r = rng.random()
        self.fail = r < 0.02                # NO_PROPOSAL_CHOSEN
        self.retry = 0.02 <= r < 0.07       # INVALID_KE_PAYLOAD, then a new request
        self.floats = rng.random() < 0.25   # NAT: IKE_AUTH onwards on 4500
        self.retrans = rng.random() < 0.05  # one byte-identical retransmission
        self.child = rng.random() < 0.2
        self.info = rng.random() < 0.3
        self.esp_i = rng.getrandbits(32) | 0x100
        self.esp_r = rng.getrandbits(32) | 0x100

    def send(self, p, from_i, msg, dt=0.0005):
        p.tick(dt)
        if from_i:
            p.ike(self.iaddr, self.iport, self.raddr, self.rport, msg)
        else:
            p.ike(self.raddr, self.rport, self.iaddr, self.iport, msg)

    def init_req(self, group):
        rnd = self.g.rnd
        groups = [19, 14] if self.retry else [19]
        # NAT'ed initiators hash an address that is not the one seen here
        src = b"\xc0\x00\x02\xc8" if self.floats else self.iaddr
        items = [(PL_SA, sa_body(groups)),
                 (PL_KE, struct.pack("!HH", group, 0) + rnd.bytes(ke_len(group))),
                 (PL_NONCE, rnd.bytes(32)),
                 notify(N_NATD_SRC, natd(self.ispi, 0, src, 500)),
                 notify(N_NATD_DST, natd(self.ispi, 0, self.raddr, 500))]
        return ike_msg(self.ispi, 0, EX_SA_INIT, F_I, 0, items)

    def init_resp(self, group):
        rnd = self.g.rnd
        items = [(PL_SA, sa_body([group])),
                 (PL_KE, struct.pack("!HH", group, 0) + rnd.bytes(ke_len(group))),
                 (PL_NONCE, rnd.bytes(32)),
                 notify(N_NATD_SRC, natd(self.ispi, self.rspi, self.raddr, 500)),
                 notify(N_NATD_DST, natd(self.ispi, self.rspi, self.iaddr, 500))]
        return ike_msg(self.ispi, self.rspi, EX_SA_INIT, F_R, 0, items)

    def sk(self, exch, flags, mid, inner_first, n_blocks):
        # Encrypted payload: IV (16) + n_blocks x 16 + ICV (16)
        body = self.g.rnd.bytes(16 + 16 * n_blocks + 16)
        first = PL_SK
        plen = 4 + len(body)
        return ike_header(self.ispi, self.rspi, first, exch, flags, mid, plen) + \
            struct.pack("!BBH", inner_first, 0, plen) + body

    def packets(self):
        """Yield callables p -> None; each writes one packet."""
        rng = self.g.rng
        group = 19
        req = self.init_req(group)
        yield lambda p: self.send(p, True, req)
        if self.retrans:
            yield lambda p: self.send(p, True, req, 1.0)
        if self.fail:
            m = ike_msg(self.ispi, 0, EX_SA_INIT, F_R, 0, [notify(N_NO_PROPOSAL_CHOSEN)])
            yield lambda p: self.send(p, False, m)
            return
        if self.retry:
            m = ike_msg(self.ispi, 0, EX_SA_INIT, F_R, 0, [notify(N_INVALID_KE, struct.pack("!H", 14))])
            yield lambda p: self.send(p, False, m)
            group = 14
            req2 = self.init_req(group)
            yield lambda p: self.send(p, True, req2)
        resp = self.init_resp(group)
        yield lambda p: self.send(p, False, resp)
        if self.floats:
            self.iport = self.rport = 4500
        a_req = self.sk(EX_AUTH, F_I, 1, PL_IDI, rng.randrange(20, 40))
        yield lambda p: self.send(p, True, a_req)
        a_resp = self.sk(EX_AUTH, F_R, 1, PL_IDR, rng.randrange(14, 30))
        yield lambda p: self.send(p, False, a_resp)
        mid = 2
        esp = self.g.esp_per_sa
        n_esp = rng.randrange(esp // 2, esp + esp // 2 + 1) if esp else 0
        for k in range(n_esp):
            yield self.esp_packet
            if self.child and k == n_esp // 3:
                m1 = self.sk(EX_CHILD, F_I, mid, PL_SA, rng.randrange(14, 20))
                m2 = self.sk(EX_CHILD, F_R, mid, PL_SA, rng.randrange(12, 18))
                mid += 1
                yield lambda p, m=m1: self.send(p, True, m)
                yield lambda p, m=m2: self.send(p, False, m)
        if not esp and self.child:
            m1 = self.sk(EX_CHILD, F_I, mid, PL_SA, rng.randrange(14, 20))
            m2 = self.sk(EX_CHILD, F_R, mid, PL_SA, rng.randrange(12, 18))
            mid += 1
            yield lambda p: self.send(p, True, m1)
            yield lambda p: self.send(p, False, m2)
        if self.info:
            m1 = self.sk(EX_INFO, F_I, mid, PL_D, 1)
            m2 = self.sk(EX_INFO, F_R, mid, PL_D, 1)
            yield lambda p: self.send(p, True, m1)
            yield lambda p: self.send(p, False, m2)

    def esp_packet(self, p):
        rng = self.g.rng
        p.tick(0.00002)
        from_i = rng.random() < 0.5
        spi = self.esp_r if from_i else self.esp_i
        seq = self.seq_i = getattr(self, "seq_i", 0) + 1 if from_i else getattr(self, "seq_i", 0)
        if not from_i:
            seq = self.seq_r = getattr(self, "seq_r", 0) + 1
        size = rng.choice((64, 96, 128, 512, 1024, 1360, 1360, 1360))
        body = struct.pack("!II", spi, seq) + self.g.rnd.bytes(16 + size + 2 + 16)
        s, d = (self.iaddr, self.raddr) if from_i else (self.raddr, self.iaddr)
        if self.floats:
            p.udp(s, 4500, d, 4500, body)
        else:
            p.ipv4(s, d, 50, body)
        p.n_esp += 1


class Gen:
    def __init__(self, seed, esp_per_sa):
        self.rng = random.Random(seed)
        self.rnd = Rand(self.rng)
        self.esp_per_sa = esp_per_sa


def run_sas(p, g, n_sas, concurrency, min_ike=0):
    """Interleave SAs: `concurrency` live at a time, packets picked at random."""
    live = []
    started = 0
    rng = g.rng
    while True:
        while len(live) < concurrency and (started < n_sas or p.n_ike < min_ike):
            live.append(SA(g, started).packets())
            started += 1
        if not live:
            break
        i = rng.randrange(len(live))
        try:
            next(live[i])(p)
        except StopIteration:
            live[i] = live[-1]
            live.pop()
    return started


def hostile(p, g, kind, count):
    rng = g.rng
    a, b = b"\xc6\x33\x64\x01", b"\xc0\x00\x02\x01"
    if kind == "spis":
        for i in range(count):
            sa = SA(g, i)
            sa.retry = False
            sa.ispi = (0x5000000000000000 + i) | 1 << 62
            sa.floats = False
            sa.send(p, True, sa.init_req(19), 0.0001)
    elif kind == "mids":
        sa = SA(g, 0)
        sa.retry = sa.floats = False
        sa.send(p, True, sa.init_req(19))
        sa.send(p, False, sa.init_resp(19))
        sa.send(p, True, sa.sk(EX_AUTH, F_I, 1, PL_IDI, 20))
        sa.send(p, False, sa.sk(EX_AUTH, F_R, 1, PL_IDR, 16))
        for mid in range(2, count + 2):
            sa.send(p, True, sa.sk(EX_INFO, F_I, mid, PL_NONE, 0), 0.0001)
            sa.send(p, False, sa.sk(EX_INFO, F_R, mid, PL_NONE, 0), 0.0001)
    elif kind == "retrans":
        sa = SA(g, 0)
        sa.retry = sa.floats = False
        req = sa.init_req(19)
        for _ in range(count):
            sa.send(p, True, req, 0.001)
    elif kind == "absurd":
        for i in range(count):
            ispi = rng.getrandbits(64)
            rspi = rng.choice((0, rng.getrandbits(64)))
            mid = rng.choice((0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, rng.getrandbits(32), 0))
            exch = rng.choice((EX_SA_INIT, EX_AUTH, EX_CHILD, EX_INFO, 0, 255, 43, rng.getrandbits(8)))
            flags = rng.choice((F_I, F_R, F_I | F_R, 0, 0xFF, rng.getrandbits(8)))
            version = rng.choice((0x20, 0x10, 0x2F, 0xF0, rng.getrandbits(8)))
            first = rng.choice((PL_SA, PL_N, PL_SK, 53, PL_NONE, rng.getrandbits(8)))
            body = g.rnd.bytes(rng.randrange(0, 200))
            if first == PL_N and len(body) >= 8:
                # a notify payload with a lying length, or many notifies
                body = struct.pack("!BBHBBH", 0, 0, rng.choice((0, 3, 0xFFFF, len(body))), 0, 0,
                                   rng.getrandbits(16)) + body[8:]
            length = rng.choice((28 + len(body), 0, 27, 0xFFFFFFFF, 28 + len(body) + 1, rng.getrandbits(32)))
            msg = struct.pack("!QQBBBBII", ispi, rspi, first, version, exch, flags, mid, length) + body
            if rng.random() < 0.1:
                msg = msg[:rng.randrange(1, len(msg))]  # truncated header
            port = rng.choice((500, 4500))
            if rng.random() < 0.5:  # many messages on few SAs: MID wrap-around on one SA
                msg = struct.pack("!QQ", 0x0123456789ABCDEF, 0xFEDCBA9876543210) + msg[16:]
            p.tick(0.0001)
            p.ike(a, port, b, port, msg)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=("esp", "ike", "spis", "mids", "retrans", "absurd"), default="esp")
    ap.add_argument("--scale", type=int, default=1, help="1, 2, 4, ... (esp and ike)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000000, help="size of the hostile kinds")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    p = Pcap(a.output)
    if a.kind == "esp":
        g = Gen(a.seed, 104)
        n = run_sas(p, g, 10000 * a.scale, 64)
    elif a.kind == "ike":
        g = Gen(a.seed, 0)
        n = run_sas(p, g, 0, 64, min_ike=300000 * a.scale)
    else:
        g = Gen(a.seed, 0)
        hostile(p, g, a.kind, a.count)
        n = 0
    p.close()
    print(f"{a.output}: {p.n} packets, {p.n_ike} IKE, {p.n_esp} ESP ({100.0 * p.n_esp / max(p.n, 1):.1f} %), "
          f"{n} IKE SAs", file=sys.stderr)


if __name__ == "__main__":
    main()
