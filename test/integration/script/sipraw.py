#!/usr/bin/env python3
"""sipraw.py - raw SIP datagrams for the script integration test.

  sipraw.py send HOST:PORT FILE [--bind PORT] [--expect N] [--timeout S]
      sends FILE's bytes (LF line ends become CRLF unless --raw) from a
      socket bound to 127.0.0.1:PORT (0: any), then prints the first line
      and headers of up to N datagrams received on that socket before the
      timeout, each preceded by "=== datagram K". Exit status 0 when N
      arrived, 1 otherwise.

  sipraw.py listen PORT OUT [--expect N] [--timeout S]
      receives up to N datagrams on 127.0.0.1:PORT and writes them to OUT
      (same format); writes OUT only at the end. Exit 0 when N arrived.
"""
import socket
import sys
import time


def opts(argv, names):
    out, rest, i = {}, [], 0
    while i < len(argv):
        if argv[i].startswith("--") and argv[i][2:] in names:
            key = argv[i][2:]
            if names[key]:
                out[key] = argv[i + 1]
                i += 2
            else:
                out[key] = True
                i += 1
        else:
            rest.append(argv[i])
            i += 1
    return out, rest


def collect(sock, expect, timeout):
    got, deadline = [], time.time() + timeout
    while len(got) < expect:
        left = deadline - time.time()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            data, _ = sock.recvfrom(65536)
        except socket.timeout:
            break
        got.append(data.decode("latin-1"))
    return got


def render(got):
    return "".join("=== datagram %d\n%s\n" % (k + 1, d.replace("\r\n", "\n"))
                   for k, d in enumerate(got))


def main():
    o, rest = opts(sys.argv[1:], {"bind": 1, "expect": 1, "timeout": 1,
                                  "raw": 0})
    expect = int(o.get("expect", "1"))
    timeout = float(o.get("timeout", "5"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if rest[0] == "send":
        host, port = rest[1].rsplit(":", 1)
        data = open(rest[2], "rb").read()
        if "raw" not in o:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        sock.bind(("127.0.0.1", int(o.get("bind", "0"))))
        sock.sendto(data, (host, int(port)))
        got = collect(sock, expect, timeout) if expect else []
        sys.stdout.write(render(got))
    else:
        sock.bind(("127.0.0.1", int(rest[1])))
        got = collect(sock, expect, timeout)
        with open(rest[2] + ".tmp", "w") as f:
            f.write(render(got))
        import os
        os.rename(rest[2] + ".tmp", rest[2])
    return 0 if len(got) == expect else 1


sys.exit(main())
