#!/usr/bin/env python3
"""Start-up and memory figures for nestboxd, with nginx measured in the same run as reference.

  daemon_bench.py NESTBOXD [runs]

- start to READY: spawn -> READY=1 on a NOTIFY_SOCKET (as systemd would see it), on an empty
  data directory (first start: database, migrations, CA and server certificate, setup code).
  Reference: nginx spawn -> accepting connections on its port.
- idle RSS: VmRSS of nestboxd one second after READY, idle (waiting for setup); reference: the sum of
  nginx's master and worker.
- mDNS (issue 8): idle RSS and CPU time over 10 s with `mdns = avahi` (announced through the
  machine's avahi-daemon, when one runs) against the same daemon with `mdns = off`; reference
  for the CPU: nginx idle over the same 10 s.
"""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def start_daemon(binary, root, extra=""):
    data = os.path.join(root, "data")
    port = free_port()
    conf = os.path.join(root, "nestboxd.conf")
    with open(conf, "w") as f:
        f.write(f"data_dir = {data}\nlisten_port = {port}\nupload_port = {free_port()}\ndbus = off\n{extra}")
    sock_path = os.path.join(root, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    sock.settimeout(10)
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "--config", conf], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        msg = sock.recv(4096).decode()
        if "READY=1" in msg:
            break
    elapsed = time.perf_counter() - t0
    sock.close()
    return proc, elapsed

def nginx_start(root):
    port = free_port()
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1; pid {root}/nginx.pid; error_log {root}/error.log;
events {{ worker_connections 64; }}
http {{ access_log off; client_body_temp_path {root}/cb; proxy_temp_path {root}/p;
fastcgi_temp_path {root}/f; uwsgi_temp_path {root}/u; scgi_temp_path {root}/s;
server {{ listen 127.0.0.1:{port}; location / {{ return 200 "ok"; }} }} }}""")
    t0 = time.perf_counter()
    proc = subprocess.Popen(["nginx", "-e", f"{root}/error.log", "-c", conf, "-g", "daemon off;"])
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.001)
    return proc, time.perf_counter() - t0

def main():
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    ready, nginx_ready, rss, nginx_rss = [], [], [], []
    for _ in range(runs):
        root = tempfile.mkdtemp(prefix="nestbox-bench-")
        proc, elapsed = start_daemon(binary, root)
        ready.append(elapsed)
        time.sleep(1)
        rss.append(rss_kib(proc.pid))
        proc.terminate(); proc.wait()
        ng, ng_elapsed = nginx_start(root)
        nginx_ready.append(ng_elapsed)
        time.sleep(0.5)
        children = subprocess.run(["pgrep", "-P", str(ng.pid)], capture_output=True, text=True).stdout.split()
        nginx_rss.append(rss_kib(ng.pid) + sum(rss_kib(int(c)) for c in children))
        ng.terminate(); ng.wait()
        shutil.rmtree(root, ignore_errors=True)
    r, n = statistics.median(ready) * 1000, statistics.median(nginx_ready) * 1000
    m, nm = statistics.median(rss) / 1024, statistics.median(nginx_rss) / 1024
    print(f"start to READY, empty data dir (median of {runs}): {r:.1f} ms; nginx start to listening: {n:.1f} ms; ratio {r / n:.2f}")
    print(f"idle RSS after READY (median of {runs}): {m:.1f} MiB; nginx master+worker: {nm:.1f} MiB; ratio {m / nm:.2f}")

    announced = subprocess.run(["avahi-daemon", "--check"]).returncode == 0
    figures = {}
    for mode in ("off", "avahi"):
        root = tempfile.mkdtemp(prefix="nestbox-bench-")
        proc, _ = start_daemon(binary, root, f"mdns = {mode}\n")
        time.sleep(2)
        before = cpu_seconds(proc.pid)
        time.sleep(10)
        figures[mode] = (rss_kib(proc.pid) / 1024, cpu_seconds(proc.pid) - before)
        proc.terminate(); proc.wait()
        shutil.rmtree(root, ignore_errors=True)
    root = tempfile.mkdtemp(prefix="nestbox-bench-")
    ng, _ = nginx_start(root)
    time.sleep(1)
    before = cpu_seconds(ng.pid)
    time.sleep(10)
    nginx_cpu = cpu_seconds(ng.pid) - before
    ng.terminate(); ng.wait()
    shutil.rmtree(root, ignore_errors=True)
    (off_rss, off_cpu), (on_rss, on_cpu) = figures["off"], figures["avahi"]
    print(f"mDNS {'announced through avahi-daemon' if announced else 'on, but no avahi-daemon running'}: idle RSS "
          f"{on_rss:.1f} MiB vs {off_rss:.1f} MiB with mdns = off (ratio {on_rss / off_rss:.2f}); CPU over 10 s idle "
          f"{on_cpu * 1000:.0f} ms vs {off_cpu * 1000:.0f} ms (nginx idle: {nginx_cpu * 1000:.0f} ms)")

main()
