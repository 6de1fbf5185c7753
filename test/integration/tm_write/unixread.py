#!/usr/bin/env python3
"""unixread.py PATH OUT SECONDS - a t_write_unix reader.

Binds a unix datagram socket at PATH, waits at most SECONDS for one
datagram and writes its bytes to OUT.  Exit status 0 when one came, 1 on
timeout.
"""
import os
import socket
import sys


def main():
    path, out, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(secs)
    try:
        data = s.recv(70000)
    except socket.timeout:
        return 1
    finally:
        s.close()
        os.unlink(path)
    with open(out, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
