"""A minimal browser for the load generator: http.client with keep-alive (when the server keeps
the connection open), a cookie jar, CSRF tokens from forms, and the allauth sign-in flow with a
TOTP second step. Standard library only, so the client adds as little CPU as possible."""

import base64
import hashlib
import hmac
import http.client
import re
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

TOTP_PERIOD = 30  # allauth's default MFA_TOTP_PERIOD
TOTP_DIGITS = 6
# allauth accepts a code only in its own 30-second period (MFA_TOTP_TOLERANCE = 0). A virtual user
# who would send a code this close to the end of a period waits for the next one, as a person
# watching their authenticator app would.
TOTP_GUARD_SECONDS = 1.0

LOGIN_PATH = "/accounts/login/"
MFA_PATH = "/accounts/2fa/authenticate/"
HOME_PATH = "/"


# A form as a dict, or as (name, value) pairs when a name repeats (ticked checkboxes).
Form = dict[str, str] | list[tuple[str, str]]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def location_path(self) -> str:
        return urlsplit(self.headers.get("Location", "")).path

    def describe(self) -> str:
        where = f" -> {self.headers.get('Location')}" if self.headers.get("Location") else ""
        title = re.search(rb"<title>(.*?)</title>", self.body, re.S | re.I)
        text = f' "{title.group(1).decode(errors="replace").strip()[:80]}"' if title else ""
        return f"HTTP {self.status}{where}{text}"


class Browser:
    """One virtual user's browser: its own connection and cookies. Not thread-safe."""

    def __init__(self, base_url: str, timeout: float = 120.0, source_address: str | None = None):
        parts = urlsplit(base_url)
        # People sign in from many addresses; a bench user connects from its own loopback one.
        self.source_address = (source_address, 0) if source_address else None
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None
        self.connections_opened = 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: Form) -> Response:
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: Form | None = None) -> Response:
        headers = {
            "User-Agent": "caseaudit-bench/1 (load generator)",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin  # what a browser sends with a form POST
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout, source_address=self.source_address
                )
                self.connections_opened += 1
            try:
                self._conn.request(method, path, body=body, headers=headers)
                raw = self._conn.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # A kept-alive connection the server has just closed: retry once on a new one.
                if reused and attempt == 1:
                    continue
                raise
            except BaseException:
                self.close()
                raise
            if raw.will_close:
                self.close()
            self._store_cookies(raw.headers.get_all("Set-Cookie") or [])
            return Response(raw.status, raw.headers, data)
        raise AssertionError("unreachable")

    def _store_cookies(self, lines: list[str]) -> None:
        for line in lines:
            jar = SimpleCookie()
            try:
                jar.load(line)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if _expired(morsel):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _expired(morsel) -> bool:
    if morsel["max-age"] != "":
        try:
            return int(morsel["max-age"]) <= 0
        except ValueError:
            return False
    if morsel["expires"]:
        try:
            return parsedate_to_datetime(morsel["expires"]).timestamp() <= time.time()
        except (TypeError, ValueError):
            return False
    return False


_INPUT = re.compile(rb"<input\b[^>]*>", re.I)
_NAME = re.compile(rb"""\bname\s*=\s*["']?csrfmiddlewaretoken["'\s>]""", re.I)
_VALUE = re.compile(rb"""\bvalue\s*=\s*["']([^"']*)["']""", re.I)


def csrf_token(body: bytes) -> str | None:
    """The CSRF token from the first form field named csrfmiddlewaretoken."""
    for tag in _INPUT.findall(body):
        if _NAME.search(tag):
            value = _VALUE.search(tag)
            if value:
                return value.group(1).decode()
    return None


def hotp(secret: str, counter: int) -> str:
    """RFC 4226, as allauth computes it (SHA-1, 6 digits)."""
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**TOTP_DIGITS:0{TOTP_DIGITS}}"


def totp_period(at: float | None = None) -> int:
    return int(time.time() if at is None else at) // TOTP_PERIOD


@dataclass
class BenchUser:
    email: str
    password: str
    secret: str
    address: str | None = None  # the loopback address (127.0.x.y) this user connects from
    last_period: int = -1  # the TOTP period of this user's last code: allauth refuses a reuse


class UserPool:
    """Bench users handed out least-recently-used first, one virtual user at a time, so nobody
    sends the same TOTP code twice. If the next user already signed in during the current
    period (the pool is too small for the rate), the virtual user waits for the next period."""

    def __init__(self, users: list[BenchUser]):
        self._users = deque(users)
        self._lock = threading.Lock()
        self.waits = 0
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._users)

    def acquire(self) -> BenchUser:
        with self._lock:
            if not self._users:
                raise RuntimeError("the bench user pool is empty")
            user = self._users.popleft()
        now = time.time()
        if user.last_period >= totp_period(now):
            with self._lock:
                self.waits += 1
            time.sleep((totp_period(now) + 1) * TOTP_PERIOD - now + 0.05)
        return user

    def release(self, user: BenchUser, *, ok: bool) -> None:
        """A user whose sign-in failed is not used again: repeated failures lock accounts."""
        with self._lock:
            if ok:
                self._users.append(user)
            else:
                self.dropped += 1


class FlowError(Exception):
    def __init__(self, step: str, message: str, *, http_error: bool):
        super().__init__(f"{step}: {message}")
        self.step = step
        self.http_error = http_error  # a 4xx/5xx or no answer, rather than an unexpected answer


@dataclass
class Step:
    label: str
    start: float
    end: float
    ok: bool = True

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass
class Flow:
    """One sign-in: its timed steps, and the time spent waiting for a fresh TOTP period (not
    server time, so not part of the flow's latency)."""

    steps: list[Step] = field(default_factory=list)
    waited: float = 0.0
    rollover_retries: int = 0

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)


STEP_LABELS = (
    f"GET {LOGIN_PATH}",
    f"POST {LOGIN_PATH}",
    f"GET {MFA_PATH}",
    f"POST {MFA_PATH}",
    f"GET {HOME_PATH}",
)


def sign_in(browser: Browser, user: BenchUser, flow: Flow | None = None) -> Flow:
    """email and password, then the TOTP code, then the home page. Raises FlowError."""
    flow = flow if flow is not None else Flow()

    def timed(label: str, call, expect: int, location: str | None = None) -> Response:
        start = time.perf_counter()
        try:
            response = call()
        except (OSError, http.client.HTTPException) as error:
            flow.steps.append(Step(label, start, time.perf_counter(), ok=False))
            raise FlowError(label, f"{type(error).__name__}: {error}", http_error=True) from error
        step = Step(label, start, time.perf_counter())
        flow.steps.append(step)
        if response.status != expect or (
            location is not None and response.location_path != location
        ):
            step.ok = False
            wanted = f"HTTP {expect}" + (f" -> {location}" if location else "")
            raise FlowError(
                label,
                f"expected {wanted}, got {response.describe()}",
                http_error=response.status >= 400,
            )
        return response

    page = timed(f"GET {LOGIN_PATH}", lambda: browser.get(LOGIN_PATH), 200)
    token = csrf_token(page.body)
    if not token:
        raise FlowError(f"GET {LOGIN_PATH}", "no csrfmiddlewaretoken in the form", http_error=False)
    form = {"login": user.email, "password": user.password, "csrfmiddlewaretoken": token}
    timed(f"POST {LOGIN_PATH}", lambda: browser.post(LOGIN_PATH, form), 302, MFA_PATH)

    page = timed(f"GET {MFA_PATH}", lambda: browser.get(MFA_PATH), 200)
    token = csrf_token(page.body)
    if not token:
        raise FlowError(f"GET {MFA_PATH}", "no csrfmiddlewaretoken in the form", http_error=False)
    for attempt in (1, 2):
        now = time.time()
        left = TOTP_PERIOD - now % TOTP_PERIOD
        if left < TOTP_GUARD_SECONDS or totp_period(now) <= user.last_period:
            pause = (totp_period(now) + 1) * TOTP_PERIOD - now + 0.05
            time.sleep(pause)
            flow.waited += pause
        period = totp_period()
        user.last_period = period
        form = {"code": hotp(user.secret, period), "csrfmiddlewaretoken": token}
        start = time.perf_counter()
        try:
            response = browser.post(MFA_PATH, form)
        except (OSError, http.client.HTTPException) as error:
            flow.steps.append(Step(f"POST {MFA_PATH}", start, time.perf_counter(), ok=False))
            raise FlowError(
                f"POST {MFA_PATH}", f"{type(error).__name__}: {error}", http_error=True
            ) from error
        step = Step(f"POST {MFA_PATH}", start, time.perf_counter())
        flow.steps.append(step)
        if response.status == 302 and response.location_path == HOME_PATH:
            break
        # The form again: the code was refused. Only a period that ended while the request
        # waited for a worker explains that; then the person types the new code.
        if response.status == 200 and attempt == 1 and totp_period() != period:
            flow.rollover_retries += 1
            token = csrf_token(response.body) or token
            continue
        step.ok = False
        raise FlowError(
            f"POST {MFA_PATH}",
            f"expected HTTP 302 -> {HOME_PATH}, got {response.describe()}",
            http_error=response.status >= 400,
        )

    timed(f"GET {HOME_PATH}", lambda: browser.get(HOME_PATH), 200)
    return flow
