"""The commands an operator runs before the app can start: the version, a new keyring, a clear refusal."""

from __future__ import annotations

import stat
from importlib.metadata import version

from click.testing import CliRunner

from caseapp.cli import main
from caseapp.crypto.keyring import Keyring


def test_version_is_the_package_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"caseapp {version('caseapp')}\n"


def test_keys_create_writes_a_private_keyring_and_never_overwrites_one(tmp_path, monkeypatch):
    # Production settings without a keyring: the command must not need the app that cannot start yet.
    monkeypatch.setenv("CASEAPP_ENV", "production")
    path = tmp_path / "etc" / "keyring.json"
    result = CliRunner().invoke(main, ["keys", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ring = Keyring.load(path)
    assert ring.active_kek_id in result.output

    written = path.read_bytes()
    again = CliRunner().invoke(main, ["keys", "create", str(path)])
    assert again.exit_code == 1 and "never overwritten" in again.output
    assert path.read_bytes() == written


def test_a_missing_production_setting_is_named_in_one_line(monkeypatch):
    monkeypatch.setenv("CASEAPP_ENV", "production")
    monkeypatch.delenv("CASEAPP_SECRET_KEY", raising=False)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code != 0
    assert "Error: CASEAPP_SECRET_KEY must be set" in result.output
    assert "Traceback" not in result.output
