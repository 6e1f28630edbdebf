#!/usr/bin/python3
# Fake systemd notify socket: bind an AF_UNIX datagram socket at PATH (or
# "@name" in the abstract namespace), touch READYFILE once bound, then print
# each datagram received on one line ('\n' shown as '|') until COUNT
# datagrams arrived, STOPPING=1 was seen, or TIMEOUT seconds passed.
# Also prints "pid=N" when the sender's credentials are available, so a
# test can check that the main process sent it (NotifyAccess=main).
# Usage: fake_notify.py PATH READYFILE COUNT TIMEOUT
import os
import socket
import struct
import sys
import time

path, readyfile, count, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
addr = "\0" + path[1:] if path.startswith("@") else path
s.bind(addr)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
open(readyfile, "w").close()
deadline = time.monotonic() + timeout
n = 0
while n < count:
    left = deadline - time.monotonic()
    if left <= 0:
        print("timeout", flush=True)
        break
    s.settimeout(left)
    try:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    except socket.timeout:
        print("timeout", flush=True)
        break
    pid = ""
    for level, typ, cdata in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
            pid = " pid=%d" % struct.unpack("iII", cdata[:12])[0]
    print(data.decode("utf-8", "replace").replace("\n", "|") + pid, flush=True)
    n += 1
    if b"STOPPING=1" in data:
        break
if not path.startswith("@"):
    os.unlink(path)
