"""Test settings: the real settings module, driven by the environment like production, with
test-only choices made before it loads. Nothing here changes behaviour under test except speed
(a fast password hasher) and where files go (a throwaway data folder)."""

import atexit
import os
import shutil
import tempfile

# Always a fresh folder: the Makefile exports the checkout's data folder for `make run`, and
# tests must never write into it (or find files an earlier run left there).
os.environ["CASEAUDIT_DATA_DIR"] = tempfile.mkdtemp(prefix="caseaudit-test-")
os.environ.setdefault("CASEAUDIT_HTTPS", "0")
os.environ.setdefault("CASEAUDIT_REQUIRE_MFA", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment-0123456789")

from caseaudit.settings import *  # noqa: F403

atexit.register(shutil.rmtree, os.environ["CASEAUDIT_DATA_DIR"], ignore_errors=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
