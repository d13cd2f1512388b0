#!/usr/bin/env python3
"""Writes a capture that keeps N distinct flows alive at once, for the sensor's memory figure.

usage: gen_flows.py OUT.pcap [flows=1000000] [seconds=50] [seed=1]

Each flow gets two packets, a request and its answer, spread evenly over SECONDS of capture
time, so with the sensor's idle timeouts (60 s for UDP, 300 s for TCP) every flow is still alive
when the capture ends: the flow table then holds all N. A third of the flows are TCP with a
hospital protocol's first bytes (HL7 over MLLP, a DICOM A-ASSOCIATE-RQ, a TLS ClientHello), so
stream dissectors hold state too; the rest are UDP (DNS queries, SNMP gets, opaque datagrams).
Addresses: clients 10.128.0.0/9, servers 10.1.0.0/16, distinct (client, port) per flow.
Classic pcap, Ethernet, microsecond times, IPv4 checksums valid, layer 4 checksums 0.
"""
import random
import struct
import sys

out = sys.argv[1]
FLOWS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)

HL7 = b"\x0bMSH|^~\\&|PUMPGW|ICU|HIS|HOSP|20260101000000||ORU^R01|1|P|2.5\r\x1c\r"
DICOM = (b"\x01\x00" + struct.pack(">I", 68) + b"\x00\x01\x00\x00" + b"PACS".ljust(16) +
         b"CT01".ljust(16) + bytes(32))
TLS = (b"\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03" + bytes(32) + b"\x00\x00\x02\x13\x01"
       b"\x01\x00\x00\x00")
DNS = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + b"\x04pacs\x04icu1\x05local\x00\x00\x01\x00\x01"
SNMP = bytes.fromhex("302602010104067075626c6963a019020400000001020100020100300b300906052b060102010500")


def ip_csum(header):
    s = sum(struct.unpack(">10H", header))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def frame(src, dst, proto, sport, dport, payload, flags=0x18, seq=1):
    if proto == 6:
        l4 = struct.pack(">HHIIBBHHH", sport, dport, seq, 1, 0x50, flags, 65535, 0, 0)
    else:
        l4 = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0)
    total = 20 + len(l4) + len(payload)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, proto, 0,
                     struct.pack(">I", src), struct.pack(">I", dst))
    ip = ip[:10] + struct.pack(">H", ip_csum(ip)) + ip[12:]
    eth = b"\x02\x00" + struct.pack(">I", dst) + b"\x02\x00" + struct.pack(">I", src) + b"\x08\x00"
    return eth + ip + l4 + payload


def main():
    step = SECONDS / max(1, FLOWS)
    start = 1_767_225_600.0  # 2026-01-01T00:00:00Z
    with open(out, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(FLOWS):
            client = (10 << 24) | (1 << 23) | (i >> 6)          # 10.128.0.0/9
            server = (10 << 24) | (1 << 16) | rnd.randrange(1, 65535)
            sport = 20000 + (i & 63) * 700 + rnd.randrange(0, 700)
            kind = i % 6
            if kind == 0:
                request = frame(client, server, 6, sport, 2575, HL7)
                answer = frame(server, client, 6, 2575, sport, b"\x0bMSH|^~\\&|HIS\r\x1c\r")
            elif kind == 1:
                request = frame(client, server, 6, sport, 104, DICOM)
                answer = frame(server, client, 6, 104, sport, b"\x02\x00" + bytes(8))
            elif kind == 2:
                request = frame(client, server, 6, sport, 443, TLS)
                answer = frame(server, client, 6, 443, sport, b"\x16\x03\x03\x00\x00")
            elif kind == 3:
                request = frame(client, server, 17, sport, 53, DNS)
                answer = frame(server, client, 17, 53, sport, DNS)
            elif kind == 4:
                request = frame(client, server, 17, sport, 161, SNMP)
                answer = frame(server, client, 17, 161, sport, SNMP)
            else:
                request = frame(client, server, 17, sport, 9000 + (i & 1023), bytes(64))
                answer = frame(server, client, 17, 9000 + (i & 1023), sport, bytes(32))
            t = start + i * step
            for offset, pkt in ((0.0, request), (step / 2, answer)):
                ts = t + offset
                sec = int(ts)
                usec = int((ts - sec) * 1_000_000)
                f.write(struct.pack("<IIII", sec, usec, len(pkt), len(pkt)))
                f.write(pkt)


if __name__ == "__main__":
    main()
