#!/usr/bin/env python3
"""Mail in, measured on loopback with the release binary and Debian's Dovecot (dovecot-imapd,
run as root: its mail processes run as the `dovecot` user).

1. `frontdesk mail import` of a Maildir of 5,000 messages: parse + match + decide + store,
   in messages per second (target >= 5,000/s).
2. `frontdesk mail fetch` of a 10,000-message folder from Dovecot over IMAP (target <= 10 s).
3. `frontdesk serve` watching the mailbox with IDLE: from a message delivered into the Maildir
   (as a local delivery agent does) to its contact in the database, 200 times, one at a time
   (target p99 <= 2 s).

Usage: bench/mail.py   (prints the results; they go to docs/PERFORMANCE.md by hand)
"""
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "frontdesk")
PASSWORD = "bench-imap-pass"


def message(i, date="Tue, 01 Dec 2026 10:00:00 +0100"):
    return (
        f"From: Marcos <marcos@acme.example>\r\nTo: ana@ruiz.example\r\n"
        f"Subject: Informe {i}\r\nDate: {date}\r\nMessage-ID: <bench-{i}@acme.example>\r\n"
        f"Content-Type: text/plain; charset=UTF-8\r\n\r\n"
        f"Hola Ana,\r\n\r\n¿Podemos revisar el informe {i} antes del viernes?\r\n\r\n"
        f"Saludos,\r\nMarcos\r\n\r\nEl lun, 30 nov 2026, Ana <ana@ruiz.example> escribió:\r\n"
        f"> Te envío el informe.\r\n"
    ).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def frontdesk(db, *args, env=None):
    e = dict(os.environ, FRONTDESK_DB=db, FRONTDESK_BENCH_IMAP=PASSWORD)
    e.pop("FRONTDESK_OUTBOX_FILE", None)
    if env:
        e.update(env)
    r = subprocess.run([BIN, *args], env=e, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"frontdesk {' '.join(args)} failed: {r.stderr}")
    return r


def practice(dir, port):
    with open(os.path.join(ROOT, "examples", "ruiz.toml")) as f:
        text = f.read()
    mail = (
        '\n[mail]\nfrom = "desk@ruiz.example"\n'
        'smtp = { host = "127.0.0.1", port = 1, tls = "none" }\n'
        f'\n[[mail.mailboxes]]\nname = "ana"\nhost = "127.0.0.1"\nport = {port}\n'
        f'tls = "none"\nuser = "ana"\npassword_env = "FRONTDESK_BENCH_IMAP"\n'
    )
    text = text.replace("\n[[members]]", mail + "\n[[members]]", 1)
    path = os.path.join(dir, "practice.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


class Dovecot:
    def __init__(self, dir):
        self.dir = dir
        os.makedirs(dir)
        os.chmod(dir, 0o755)
        u = pwd.getpwnam("dovecot")
        self.uid, self.gid = u.pw_uid, u.pw_gid
        self.port = free_port()
        for sub in ["run", "state", "home/ana", "mail/ana/cur", "mail/ana/new", "mail/ana/tmp"]:
            os.makedirs(os.path.join(dir, sub), exist_ok=True)
        for sub in ["home", "home/ana", "mail", "mail/ana", "mail/ana/cur", "mail/ana/new", "mail/ana/tmp"]:
            os.chown(os.path.join(dir, sub), self.uid, self.gid)
        with open(os.path.join(dir, "passwd"), "w") as f:
            f.write(f"ana:{{PLAIN}}{PASSWORD}\n")
        d = dir
        # The tests' configuration (crates/cli/tests/data/dovecot.conf), filled in.
        with open(os.path.join(ROOT, "crates/cli/tests/data/dovecot.conf")) as f:
            conf = f.read()
        for mark, value in [("@DIR@", d), ("@PORT@", self.port), ("@IMAPS@", 0),
                            ("@UID@", self.uid), ("@GID@", self.gid), ("@EXTRA@", "ssl = no")]:
            conf = conf.replace(mark, str(value))
        with open(os.path.join(dir, "dovecot.conf"), "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(
            ["/usr/sbin/dovecot", "-F", "-c", os.path.join(dir, "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port)) as s:
                    if s.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("Dovecot did not start")
            time.sleep(0.05)

    def deliver(self, name, raw):
        tmp = os.path.join(self.dir, "mail/ana/tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw)
        os.chown(tmp, self.uid, self.gid)
        os.rename(tmp, os.path.join(self.dir, "mail/ana/new", name))

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def count(db):
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute("SELECT COUNT(*) FROM contacts").fetchone()[0]
    finally:
        conn.close()


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="frontdesk-mail-bench", dir="/tmp")
    os.chmod(work, 0o755)  # Dovecot's processes read their part of it
    try:
        # 1. Maildir import.
        maildir = os.path.join(work, "import")
        for sub in ["cur", "new", "tmp"]:
            os.makedirs(os.path.join(maildir, sub))
        n = 5000
        for i in range(n):
            with open(os.path.join(maildir, "cur", f"{i}.bench:2,S"), "wb") as f:
                f.write(message(i))
        db = os.path.join(work, "import.db")
        frontdesk(db, "apply", os.path.join(ROOT, "examples", "ruiz.toml"))
        t = time.perf_counter()
        frontdesk(db, "mail", "import", maildir, "--at", "2026-12-03T12:00:00Z")
        took = time.perf_counter() - t
        assert count(db) == n, count(db)
        print(f"import: {n} messages from a Maildir in {took:.2f} s = {n / took:,.0f} messages/s")

        # 2. IMAP fetch of 10,000 messages.
        dove = Dovecot(os.path.join(work, "dovecot"))
        try:
            n = 10000
            for i in range(n):
                dove.deliver(f"{i}.bench", message(i))
            db = os.path.join(work, "fetch.db")
            frontdesk(db, "apply", practice(work, dove.port))
            t = time.perf_counter()
            frontdesk(db, "mail", "fetch", "--at", "2026-12-09T10:00:00Z")
            took = time.perf_counter() - t
            assert count(db) == n, count(db)
            print(f"fetch: {n} messages over IMAP from Dovecot in {took:.2f} s "
                  f"= {n / took:,.0f} messages/s")

            # 3. Delivered to recorded, with serve watching by IDLE.
            out = open(os.path.join(work, "serve.out"), "w")
            env = dict(os.environ, FRONTDESK_DB=db, FRONTDESK_BENCH_IMAP=PASSWORD,
                       FRONTDESK_LOG="warn")
            serve = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{free_port()}"],
                                     env=env, stdout=out, stderr=subprocess.DEVNULL)
            try:
                while "serving" not in open(os.path.join(work, "serve.out")).read():
                    time.sleep(0.05)
                latencies = []
                have = count(db)
                time.sleep(1)  # the watcher's first pass and IDLE
                for i in range(200):
                    t = time.perf_counter()
                    dove.deliver(f"live-{i}.bench", message(n + i))
                    while count(db) == have:
                        time.sleep(0.001)
                    latencies.append(time.perf_counter() - t)
                    have += 1
                latencies.sort()
                p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
                print(f"delivered -> recorded (serve, IDLE), 200 messages: "
                      f"p50 {p(0.5) * 1000:.0f} ms, p99 {p(0.99) * 1000:.0f} ms, "
                      f"max {latencies[-1] * 1000:.0f} ms")
            finally:
                serve.terminate()
                serve.wait()
        finally:
            dove.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
