#!/usr/bin/env python3
"""udpsink.py PORT OUT SECONDS - a SIP next hop that never answers.

Receives datagrams on 127.0.0.1:PORT for SECONDS seconds and writes the
first line of each, with the milliseconds since the first one, to OUT
(written once, at the end).  Exit status 0.
"""
import socket
import sys
import time


def main():
    port, out, secs = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))
    end, first, lines = time.time() + secs, None, []
    while True:
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, _ = s.recvfrom(65536)
        except socket.timeout:
            break
        now = time.time()
        first = first if first is not None else now
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        lines.append("%d %s\n" % (int((now - first) * 1000), line))
    with open(out, "w") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
