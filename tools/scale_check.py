"""Follow README "Running at scale" on one machine and count what arrived.

    python tools/scale_check.py                      # 100,000 subscribers (about 6 GB of dump)
    python tools/scale_check.py --subscribers 5000 --kill-at 0.5
    python tools/scale_check.py --tmp /var/tmp --keep

What a new user does, in one command: a PostgreSQL server (Debian's binaries under
``/usr/lib/postgresql/*/bin``, run as ``postgres`` when we are root), a Redis
server with a password, and Postfix ``smtp-sink`` (every message appended to a dump,
with its envelope), all of our own on free loopback ports; the sample
``config.toml`` with ``[store] url = "postgresql://…"``, ``[queue]`` and an
``smtp`` sender pointed at the sink; ``digest check --reach``; a CSV of
``--subscribers`` readers through ``digest subscribers import``; ``digest ingest``;
``digest send`` (queues); two ``digest worker --processes 1`` (as the systemd units
run them); one SIGKILLed once ``--kill-at`` of the list is recorded as sent and it
holds a claimed batch, and started again 5 s later (``Restart=always``,
``RestartSec=5``); then wait until the delivery log has nothing pending, stop the
workers (SIGTERM) and smtp-sink, and count the sink's dump: messages, distinct
recipients, missing, duplicates, and whether every duplicate was among the
deliveries the killed worker held claimed and unrecorded at the kill.

Needs the ``postgresql``, ``redis-server`` and ``postfix`` Debian packages and
``pip install -e '.[queue,postgres]'``.  Everything is stopped and the folder
deleted at the end (``--keep`` keeps the folder).  Exit 0 when nobody is missing
and every duplicate was in flight at the kill, else 1.
"""

from __future__ import annotations

import argparse
import csv
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2020-11-23T10:00+05:30"
MARKER = "=====DIGEST-SCALE-CHECK-MESSAGE====="
SENDER = "newsletter"
#: systemd's RestartSec in deploy/digest-worker@.service.
RESTART_SECONDS = 5.0


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def say(text: str) -> None:
    """One line of progress, with the time."""
    print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)


def as_postgres(command: list[str]) -> list[str]:
    """``command`` run as the ``postgres`` user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgresql(folder: Path, password: str) -> Iterator[str]:
    """A PostgreSQL server of our own with a role and database ``digest``; yields its URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = Path(found[-1]).parent
    data, port = folder / "data", free_port()
    folder.mkdir()
    superuser = secrets.token_hex(8)
    (folder / "pw").write_text(superuser)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    subprocess.run(
        as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                     "--auth=scram-sha-256", f"--pwfile={folder / 'pw'}"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off"
    subprocess.run(
        as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"),
                     "-o", options, "-w", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import psycopg

        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, password=superuser, autocommit=True) as connection:
            connection.execute(f"CREATE ROLE digest LOGIN PASSWORD '{password}'")
            connection.execute("CREATE DATABASE digest OWNER digest")
        yield f"postgresql://digest@127.0.0.1:{port}/digest"
    finally:
        subprocess.run(
            as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            stdout=subprocess.DEVNULL,
        )  # fmt: skip


@contextmanager
def process(command: list[str], log: Path, **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, stopped (SIGTERM, then SIGKILL) when the block ends."""
    with log.open("ab") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
    try:
        yield child
    finally:
        stop(child)


def stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM, wait, SIGKILL if it hangs."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def wait_for_port(port: int, what: str) -> None:
    """Until something answers on loopback ``port``."""
    for _ in range(500):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    sys.exit(f"{what} did not start on port {port}")


def write_config(folder: Path, store_url: str, redis_port: int, smtp_port: int) -> Path:
    """The sample config.toml, edited as README "Running at scale" says."""
    text = (ROOT / "config.toml").read_text("utf-8")
    store = '[store]\npath = "digest.sqlite3"\n'
    queue = (
        '# [queue]\n# url = "redis://127.0.0.1:6379/0"\n# password_env = "DIGEST_REDIS_PASSWORD"\n'
    )
    assert store in text and queue in text, "config.toml changed: update tools/scale_check.py"
    text = text.replace(store, f'[store]\nurl = "{store_url}"   # password: PGPASSWORD\n')
    text = text.replace(
        queue,
        f'[queue]\nurl = "redis://127.0.0.1:{redis_port}/0"   # password: DIGEST_REDIS_PASSWORD\n\n'
        f'[senders.{SENDER}]\ntype = "smtp"\nhost = "127.0.0.1"\nport = {smtp_port}\n'
        'security = "none"\nfrom = "World News Digest <digest@example.com>"\n'
        'unsubscribe_url = "https://example.com/newsletter/unsubscribe"\n'
        'secret_env = "DIGEST_UNSUBSCRIBE_SECRET"\nconnections = 2\n',
    )
    (folder / "examples").symlink_to(ROOT / "examples")
    path = folder / "config.toml"
    path.write_text(text, "utf-8")
    return path


def digest_command() -> list[str]:
    """The installed ``digest`` next to this Python (else the module)."""
    beside = Path(sys.executable).parent / "digest"
    return (
        [str(beside)]
        if beside.exists()
        else [sys.executable, "-c", "from digest.cli import main; main()"]
    )


def count_dump(path: Path) -> tuple[int, Counter[str]]:
    """Messages in smtp-sink's dump and how often each envelope recipient came."""
    messages, received = 0, Counter[str]()
    with path.open("rb") as dump:
        for line in dump:
            if line.startswith(MARKER.encode()):
                messages += 1
            elif line.startswith(b"X-Rcpt-Args: "):
                received[line[13:].split()[0].strip(b"<>").decode()] += 1
    return messages, received


def main() -> int:
    """Run the whole check; 0 when nobody is missing and duplicates were in flight."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share sent at the SIGKILL")
    parser.add_argument("--tmp", default=None, help="folder for the run (default: $TMPDIR)")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    for binary in ("redis-server", "smtp-sink", "psql"):
        if not (shutil.which(binary) or Path(f"/usr/sbin/{binary}").exists()):
            sys.exit(f"{binary} is not installed (apt-get install postgresql redis-server postfix)")
    try:
        import psycopg
    except ImportError:
        sys.exit("psycopg is not installed: pip install -e '.[queue,postgres]' (in this venv)")

    folder = Path(tempfile.mkdtemp(prefix="digest-scale-", dir=args.tmp))
    folder.chmod(0o755)  # postgres and smtp-sink's user work inside
    env = {**os.environ, "PGPASSWORD": secrets.token_hex(12),
           "DIGEST_REDIS_PASSWORD": secrets.token_hex(12),
           "DIGEST_UNSUBSCRIBE_SECRET": secrets.token_hex(16)}  # fmt: skip
    digest = digest_command()
    n = args.subscribers

    def run(*words: str, log: bool = True) -> float:
        started = time.monotonic()
        done = subprocess.run(
            [*digest, *words], cwd=folder, env=env, capture_output=True, text=True
        )
        if log:
            say(f"$ digest {' '.join(words)}  ({time.monotonic() - started:.1f} s)")
            for line in (done.stdout + done.stderr).strip().splitlines()[-8:]:
                print(f"    {line}")
        if done.returncode != 0:
            raise SystemExit(f"digest {' '.join(words)} exited {done.returncode}")
        return time.monotonic() - started

    try:
        with ExitStack() as servers:
            store_url = servers.enter_context(postgresql(folder / "pg", env["PGPASSWORD"]))
            redis_port = free_port()
            servers.enter_context(process(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(folder), "--requirepass",
                 env["DIGEST_REDIS_PASSWORD"]], folder / "redis.log"))  # fmt: skip
            sink_dir, smtp_port = folder / "sink", free_port()
            sink_dir.mkdir()
            sink_dir.chmod(0o777)
            as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
            sink_binary = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
            sink = servers.enter_context(process(
                [sink_binary, *as_user, "-D", str(sink_dir / "dump"), "-S", f"\\n{MARKER}\\n",
                 f"127.0.0.1:{smtp_port}", "256"], folder / "sink.log"))  # fmt: skip
            wait_for_port(redis_port, "redis-server")
            wait_for_port(smtp_port, "smtp-sink")
            config = write_config(folder, store_url, redis_port, smtp_port)
            say(f"servers up in {folder}: {store_url}, redis :{redis_port}, smtp-sink :{smtp_port}")
            run("--config", str(config), "check", "--reach")

            csv_path = folder / "subscribers.csv"
            with csv_path.open("w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["email", "name"])
                expected = [f"reader{i:07d}@example.net" for i in range(n)]
                writer.writerows([a, f"Reader {i}"] for i, a in enumerate(expected))
            import_seconds = run("--config", str(config), "subscribers", "import", str(csv_path))
            run("--config", str(config), "ingest", log=False)
            say("$ digest ingest")
            queue_seconds = run("--config", str(config), "send", "--as-of", AS_OF)

            database = psycopg.connect(store_url, password=env["PGPASSWORD"], autocommit=True)

            def count(where: str, *values: str) -> int:
                row = database.execute(
                    f"SELECT count(*) FROM deliveries WHERE sender = %s AND {where}",
                    (SENDER, *values),
                ).fetchone()
                return int(row[0]) if row else 0

            def worker(name: str) -> subprocess.Popen[bytes]:
                with (folder / f"{name}.log").open("ab") as out:
                    return subprocess.Popen(
                        [*digest, "--config", str(config), "worker", "--processes", "1"],
                        cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT,
                    )  # fmt: skip

            started = time.monotonic()
            workers = [worker("worker1"), worker("worker2")]
            say("2 x digest worker --processes 1 started")
            try:
                kill_at = max(1, int(n * args.kill_at))
                while count("status = 'sent'") < kill_at:
                    if any(w.poll() is not None for w in workers):
                        raise SystemExit("a worker exited before the kill: see worker*.log")
                    time.sleep(0.05)
                victim = workers[0]
                prefix = f"{socket.gethostname()}:{victim.pid}:%"
                # Killed while it holds a batch, so there is something in flight.
                while count("status = 'pending' AND claimed_by LIKE %s", prefix) == 0:
                    time.sleep(0.01)
                victim.kill()
                victim.wait()
                killed_after = time.monotonic() - started
                sent_at_kill = count("status = 'sent'")
                in_flight = {
                    row[0] for row in database.execute(
                        "SELECT recipient FROM deliveries WHERE sender = %s AND status = 'pending'"
                        " AND claimed_by LIKE %s", (SENDER, prefix),
                    )
                }  # fmt: skip
                say(f"SIGKILL worker {victim.pid} at {sent_at_kill} sent ({killed_after:.1f} s): "
                    f"{len(in_flight)} claimed by it and unrecorded")  # fmt: skip
                time.sleep(RESTART_SECONDS)
                workers[0] = worker("worker1-restarted")
                say("worker 1 started again")
                report = time.monotonic()
                while (pending := count("status = 'pending'")) > 0:
                    if time.monotonic() >= report:
                        say(f"pending {pending}")
                        report += 10
                    if any(w.poll() is not None for w in workers):
                        raise SystemExit("a worker exited: see worker*.log")
                    time.sleep(0.2)
                elapsed = time.monotonic() - started
            finally:
                for process_ in workers:
                    stop(process_)
                database.close()
            run("--config", str(config), "status")
            stop(sink)  # flushes the dump
            messages, received = count_dump(sink_dir / "dump")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    wanted = set(expected)
    missing = wanted - set(received)
    strangers = set(received) - wanted
    doubled = {r for r, times in received.items() if times > 1}
    duplicates = sum(times - 1 for times in received.values())
    summary = [
        ("subscribers", f"{n}"),
        ("import", f"{import_seconds:.1f} s ({n / import_seconds:.0f}/s)"),
        ("digest send (queue)", f"{queue_seconds:.1f} s"),
        ("workers, start to 0 pending", f"{elapsed:.1f} s = {n / elapsed:.0f} messages/s"),
        ("", f"(includes the kill, the {RESTART_SECONDS:.0f} s restart and the killed"),
        ("", "batch's return after [queue] dead_worker_seconds)"),
        ("SIGKILL at", f"{sent_at_kill} sent, {killed_after:.1f} s after the start"),
        ("in flight at the kill", f"{len(in_flight)} (claimed by the killed worker, unrecorded)"),
        ("messages arrived", f"{messages}"),
        ("distinct recipients", f"{len(received)}"),
        ("missing", f"{len(missing)}"),
        ("not subscribers", f"{len(strangers)}"),
        ("duplicates", f"{duplicates} ({len(doubled - in_flight)} outside the in-flight claims)"),
    ]
    print()
    for label, value in summary:
        print(f"{label:<30}{value}")
    ok = not missing and not strangers and doubled <= in_flight and duplicates <= len(in_flight)
    print(
        "OK: nobody missing; duplicates only among the messages in flight at the kill"
        if ok
        else "FAILED"
    )
    if args.keep:
        print(f"kept: {folder}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
