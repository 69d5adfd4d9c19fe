"""Real Redis and real Celery workers for the integration tests and the benchmark."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"Gave up waiting {timeout:.0f} s for {what}.")


@contextmanager
def redis_server(directory: Path, port: int | None = None):
    """A private redis-server on ``port`` (a free one by default), in ``directory``; yields
    its URL. Give the same port again to bring "the same" broker back after stopping it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed")
    port = port or free_port()
    directory.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: _port_open(port), timeout=10, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL naming the database the test process is using right now."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{settings_dict.get('HOST') or ''}{port}/{settings_dict['NAME']}"


def worker_environment(*, database: str, broker: str, queue: str, mail_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("EMAIL_URL", "DEBUG", "PYTEST_CURRENT_TEST", "PYTEST_VERSION")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "fundapp.settings",
        "SECRET_KEY": env.get("SECRET_KEY") or f"worker-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        "DATABASE_URL": database, "REDIS_URL": broker, "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir), "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start_worker(env: dict, log_path: Path, *extra: str) -> subprocess.Popen:
    """``celery -A fundapp worker`` in its own process group; returns once it is ready."""
    args = [CELERY, "-A", "fundapp", "worker", "--loglevel=INFO", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
            *(extra or ("--pool=solo",))]
    log = open(log_path, "wb")  # closed with the process, in stop()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log_file = log
    try:
        wait_for(lambda: process.poll() is not None or b" ready." in log_path.read_bytes(),
                 timeout=60, what="the Celery worker to be ready")
    except TimeoutError:
        stop(process)
        raise
    if process.poll() is not None:
        raise RuntimeError(f"The worker exited early:\n{log_path.read_text()[-3000:]}")
    return process


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Warm shutdown (SIGTERM to the whole group), then kill what is left."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
    log = getattr(process, "log_file", None)
    if log is not None:
        log.close()


def mails_in(directory: Path) -> list:
    """Every message the file e-mail backend wrote (one file may hold several)."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.strip(), policy=default_policy))
    return messages


def peak_rss_kib(pid: int) -> int:
    """VmHWM of a live process: its peak resident memory so far, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found
