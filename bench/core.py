"""The bench environment: a throw-away PostgreSQL database, the data the benchmarks need, a
gunicorn server configured like production, and what the machine is. Everything created here is
removed again by `Context.close()`, which run.py calls on success, error and Ctrl-C alike."""

import contextlib
import ctypes
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench.client import BenchUser, Browser, FlowError, UserPool, hotp, sign_in
from bench.load import CpuMeter
from bench.stats import Outcome

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_PREFIX = "caseaudit_bench"
BENCH_PASSWORD = "bench-sign-in-password-" + "x" * 8


class BenchError(Exception):
    """The bench could not run (as opposed to a slow result)."""


@dataclass
class Benchmark:
    """A benchmark module's `BENCHMARK`. `run(ctx)` returns an Outcome; it asks the context for
    what it needs (ctx.base_url starts the server on first use, ctx.pool hands out users).
    `needs_data`: the bench database must have the demo data and the bench users (False for a
    benchmark that sets up its own databases, such as import_population)."""

    name: str
    title: str
    order: int
    description: str
    budget: str
    run: Callable[["Context"], Outcome]
    needs_data: bool = True


@dataclass
class Timings:
    warmup: float
    duration: float


def _die_with_parent() -> None:
    """Runs in gunicorn's child process before exec: if the bench is killed outright (no
    chance to clean up), the kernel sends gunicorn SIGTERM rather than leave it running."""
    PR_SET_PDEATHSIG = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def loopback_address(index: int) -> str:
    """127.0.1.1, 127.0.1.2, ...: all of 127.0.0.0/8 reaches the server on loopback. allauth
    limits sign-ins per client address (30 a minute by default); a whole bench signing in from
    one address would measure that limit instead of the server."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_connect(dbname: str = "postgres", url: str = PG_SERVER) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=dbname,
        connect_timeout=5,
        autocommit=True,
    )


def _remove_stale_temp_dirs() -> None:
    """Temporary folders of benches that were killed outright (their pid is in the name)."""
    for path in Path(tempfile.gettempdir()).glob("caseaudit-bench-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


class Context:
    def __init__(self, *, quick: bool, workers: int, users: int, pg_server: str = PG_SERVER):
        self.quick = quick
        self.workers = workers
        self.user_count = users
        self.pg_server = pg_server.rstrip("/")
        self.db_name = f"{DB_PREFIX}_{os.getpid()}"
        _remove_stale_temp_dirs()
        self.tmp = Path(tempfile.mkdtemp(prefix=f"caseaudit-bench-{os.getpid()}-"))
        self.data_dir = self.tmp / "data"
        self.data_dir.mkdir()
        self.db_created = False
        self.server: subprocess.Popen | None = None
        self.port: int | None = None
        self.server_log = self.tmp / "gunicorn.log"
        self.users: list[BenchUser] = []
        self.pool = UserPool([])
        self.warnings: list[str] = []  # said loudly in the results
        self.shared: dict[str, object] = {}  # things benchmarks reuse, e.g. signed-in browsers
        self.cpu = CpuMeter(lambda: self.server.pid if self.server else None)
        self.env = self._server_env()

    # -- timings -------------------------------------------------------------------------------

    def timings(self, *, warmup: float, duration: float) -> Timings:
        """A benchmark's full timings; --quick shortens them to a smoke check."""
        if self.quick:
            return Timings(warmup=min(warmup, 1.0), duration=min(duration, 4.0))
        return Timings(warmup, duration)

    # -- environment ---------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"{self.pg_server}/{self.db_name}"

    def _server_env(self) -> dict[str, str]:
        dropped = {
            "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
            "EMAIL_URL", "CONN_MAX_AGE", "LOG_LEVEL", "DJANGO_SETTINGS_MODULE",
        }  # fmt: skip
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in dropped and not k.startswith("CASEAUDIT_")
        }
        env.update(
            DATABASE_URL=self.database_url,
            DEBUG="0",
            CASEAUDIT_HTTPS="0",  # plain HTTP on loopback; production terminates TLS in front
            ALLOWED_HOSTS="127.0.0.1",
            SECRET_KEY=secrets.token_urlsafe(50),
            CASEAUDIT_DATA_DIR=str(self.data_dir),
            CASEAUDIT_REQUIRE_MFA="1",
            CASEAUDIT_DEMO="0",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str) -> str:
        """Runs a `caseaudit` management command against the bench database."""
        return self._run([str(BIN / "caseaudit"), *args])

    def django_script(self, module: str, *args: str) -> str:
        """Runs `python -m module` with Django settings and the bench database."""
        env = {**self.env, "DJANGO_SETTINGS_MODULE": "caseaudit.settings"}
        return self._run([sys.executable, "-m", module, *args], env=env)

    def _run(self, command: list[str], env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            command, cwd=ROOT, env=env or self.env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise BenchError(
                f"{' '.join(command[:4])} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done.stdout

    # -- database ------------------------------------------------------------------------------

    def create_database(self) -> str:
        """Creates this run's database (dropping any left by a bench that was killed) and
        returns the server's version."""
        try:
            conn = _pg_connect(url=self.pg_server)
        except psycopg.Error as error:
            raise BenchError(f"PostgreSQL does not answer at {self.pg_server}: {error}") from error
        with conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            names = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{DB_PREFIX}_%"]
            ).fetchall()
            for (name,) in names:
                pid = name.rsplit("_", 1)[-1]
                if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                    print(f"  dropping {name}, left by a bench that did not finish")
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
            self.db_created = True
        return version

    def drop_database(self) -> None:
        if not self.db_created:
            return
        with _pg_connect(url=self.pg_server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        self.db_created = False

    def prepare_data(self) -> None:
        """Schema, the demo partnerships, and `user_count` bench users with TOTP set up."""
        self.manage("migrate", "--no-input")
        self.manage("load_demo")
        out = self.tmp / "users.json"
        self.django_script(
            "bench.seed", "--users", str(self.user_count), "--password", BENCH_PASSWORD,
            "--out", str(out),
        )  # fmt: skip
        seeded = json.loads(out.read_text())
        check = seeded["check"]
        if hotp(check["secret"], check["counter"]) != check["code"]:
            raise BenchError("the bench's TOTP codes differ from allauth's")
        self.users = [
            BenchUser(u["email"], BENCH_PASSWORD, u["secret"], address=loopback_address(i))
            for i, u in enumerate(seeded["users"])
        ]
        self.pool = UserPool(list(self.users))

    # -- server --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.server is None:
            self.start_server()
        return f"http://127.0.0.1:{self.port}"

    def start_server(self) -> None:
        self.port = free_port()
        config = self.tmp / "gunicorn.conf.py"
        # Our own (empty) config file, so a gunicorn.conf.py in the project cannot change the run.
        config.write_text("# caseaudit bench: every setting is on the command line\n")
        command = [
            str(BIN / "gunicorn"), "caseaudit.wsgi:application",
            "--config", str(config),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--worker-class", "sync",
            "--log-level", "warning",
            "--error-logfile", str(self.server_log),
        ]  # fmt: skip
        log = self.server_log.open("ab")
        self.server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the bench, which then stops gunicorn
            preexec_fn=_die_with_parent,  # started before any load thread exists
        )
        log.close()
        deadline = time.monotonic() + 60
        last = ""
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.server.returncode}):\n{self.log_tail()}")
            try:
                response = Browser(f"http://127.0.0.1:{self.port}", timeout=10).get(
                    "/accounts/login/"
                )
                if response.status == 200:
                    return
                last = response.describe()
            except OSError as error:
                last = str(error)
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer in 60 s ({last}):\n{self.log_tail()}")

    def stop_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        self.server.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.server_log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log_problems(self) -> dict[str, int]:
        """Counts of what gunicorn and Django wrote to the server log that signals trouble."""
        try:
            text = self.server_log.read_text(errors="replace")
        except OSError:
            return {}
        markers = {
            "worker timeouts": "WORKER TIMEOUT",
            "tracebacks": "Traceback (most recent call last)",
            "internal server errors": "Internal Server Error",
            "workers killed": "was sent SIGKILL",
        }
        return {label: text.count(marker) for label, marker in markers.items() if marker in text}

    # -- shared fixtures -----------------------------------------------------------------------

    def signed_in_browsers(self, count: int) -> list[Browser]:
        """`count` browsers, each signed in (through the real sign-in flow) as its own user."""
        browsers: list[Browser] = self.shared.setdefault("signed_in", [])  # type: ignore[assignment]
        missing = count - len(browsers)
        if missing <= 0:
            return browsers[:count]
        base_url = self.base_url

        def one(_: int) -> Browser:
            user = self.pool.acquire()
            browser = Browser(base_url, source_address=user.address)
            try:
                sign_in(browser, user)
            except FlowError:
                self.pool.release(user, ok=False)
                raise
            self.pool.release(user, ok=True)
            return browser

        try:
            with ThreadPoolExecutor(max_workers=4) as executor:
                browsers.extend(executor.map(one, range(missing)))
        except FlowError as error:
            raise BenchError(f"signing in the virtual users failed: {error}") from error
        return browsers[:count]

    # -- clean-up ------------------------------------------------------------------------------

    def close(self) -> list[str]:
        """Stops gunicorn, drops the database, removes the temporary folder. Returns problems."""
        problems = []
        for what, step in (
            ("stopping gunicorn", self.stop_server),
            ("dropping the bench database", self.drop_database),
        ):
            try:
                step()
            except Exception as error:
                problems.append(f"{what}: {type(error).__name__}: {error}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        return problems


def machine_info(ctx: Context, pg_version: str) -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    os_name = platform.system()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    versions = {}
    for package in ("django", "gunicorn", "psycopg"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[package] = version(package)
    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--untracked-files=no"):
        commit += " + uncommitted changes"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{os_name}, Linux {platform.release()}",
        "python": platform.python_version(),
        "postgresql": pg_version,
        "django": versions.get("django", "?"),
        "gunicorn": versions.get("gunicorn", "?"),
        "psycopg": versions.get("psycopg", "?"),
        "workers": f"{ctx.workers} sync workers",
        "commit": commit or "unknown",
        "loadavg": Path("/proc/loadavg").read_text().split()[0],
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
