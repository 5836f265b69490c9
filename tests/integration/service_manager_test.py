#!/usr/bin/env python3
"""nestboxd under a service manager: READY=1 once serving (its status line saying mDNS is
unavailable without a system bus), WATCHDOG=1 at half the interval
systemd asks for, STOPPING=1 on SIGTERM, exit code 0. Plays systemd's part with a real
NOTIFY_SOCKET (node has no unix datagram sockets, hence Python).   service_manager_test.py NESTBOXD"""
import os, signal, socket, subprocess, sys, tempfile, time

def main():
    binary = sys.argv[1]
    root = tempfile.mkdtemp(prefix="nestbox-sm-")
    def free_port():
        probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
        return port
    port, upload_port = free_port(), free_port()
    conf = os.path.join(root, "nestboxd.conf")
    with open(conf, "w") as f:
        # Both listeners on free ports: another nestboxd on this machine (a demo) holds the defaults.
        f.write(f"data_dir = {root}/data\nlisten_port = {port}\nupload_port = {upload_port}\ndbus = off\n")
    path = os.path.join(root, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(10)
    # No system bus: mDNS cannot work, and the status line must say so.
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000",
               DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent/nestbox-sm-bus")
    proc = subprocess.Popen([binary, "--config", conf], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    env["WATCHDOG_PID"] = str(proc.pid)  # informational; sd_watchdog_enabled accepts an unset PID
    messages = []
    try:
        first = sock.recv(4096).decode()
    except TimeoutError:
        proc.kill()
        raise AssertionError(f"no READY=1 within 10 s; nestboxd said:\n{proc.stderr.read().decode()}")
    assert first.startswith("READY=1"), f"first message was {first!r}"
    assert "STATUS=waiting for setup" in first, first
    assert "(no mDNS: cannot reach the system bus" in first and "reach it by address)" in first, first
    # Serving already when READY arrives: the port accepts connections.
    socket.create_connection(("127.0.0.1", port), timeout=1).close()
    start = time.monotonic()
    while time.monotonic() - start < 1.0:
        messages.append(sock.recv(4096).decode())
    pings = messages.count("WATCHDOG=1")
    assert 3 <= pings <= 7, f"expected a ping every 200 ms for 1 s, got {pings}: {messages}"
    proc.send_signal(signal.SIGTERM)
    stopping = sock.recv(4096).decode()
    while stopping == "WATCHDOG=1":
        stopping = sock.recv(4096).decode()
    assert stopping == "STOPPING=1", stopping
    code = proc.wait(timeout=10)
    stderr = proc.stderr.read().decode()
    assert code == 0, f"exit code {code}\n{stderr}"
    assert "NBX_WATCHDOG_ENABLED interval_ms=200" in stderr, stderr
    print(f"1 passed, 0 failed: READY, {pings} watchdog pings in 1 s, STOPPING, exit 0")

main()
