"""With production settings (DEBUG off, a real secret, HTTPS) `caseaudit check --deploy` has
nothing to warn about."""

import subprocess
import sys


def test_check_deploy_is_clean(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "CASEAUDIT_DATA_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": "k3y-For-the-deploy-check-only-9f8e7d6c5b4a3928171615141312111009",
        "ALLOWED_HOSTS": "audit.example.org",
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "caseaudit", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_generated_secret_key_is_kept_in_the_data_folder(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "CASEAUDIT_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'caseaudit.settings'"
    run = [sys.executable, "-c", f"{setup}; django.setup(); {code}"]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout
    assert first == second
    assert len(first.strip()) >= 50
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first.strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
