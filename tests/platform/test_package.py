"""The project as an operator gets it: the built package is whole, and the README's deployment works as written.

The build runs on a copy of the checkout's files (what a clone holds), sdist first and the wheel from it,
as `python -m build` does, so nothing compiled in the checkout can stand in for what the build must make.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = "caseapp/**/translations/**/*.po"


def run(command: list[str], **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass
class Built:
    source: Path  # the copy of the checkout the build ran on
    sdist: Path
    wheel: Path

    def wheel_names(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("build")
    source = tmp / "clone"
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # a file deleted but not yet staged is listed too
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    assert not list(source.glob("caseapp/**/*.mo")), "compiled catalogues are in git: the build must make them"
    # Without isolation the build uses this environment's setuptools and Babel (the dev extra has them):
    # the same setup.py runs, without fetching its requirements for every test run.
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"), str(source)])
    (sdist,) = (tmp / "dist").glob("caseapp-*.tar.gz")
    (wheel,) = (tmp / "dist").glob("caseapp-*.whl")
    return Built(source, sdist, wheel)


def translated(messages) -> dict[str, str | tuple[str, ...]]:
    """English -> Danish of every translated message (plural forms as a tuple, as .po and .mo differ)."""
    return {
        m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else tuple(m.string)
        for m in messages
        if m.id and m.string and not m.fuzzy
    }


def test_every_danish_catalogue_is_compiled_into_the_wheel(built):
    catalogues = sorted(built.source.glob(CATALOGUES))
    assert catalogues, "no Danish catalogue found"
    names = built.wheel_names()
    expected = {str(po.relative_to(built.source).with_suffix(".mo")) for po in catalogues}
    compiled = {name for name in names if name.endswith(".mo")}
    assert expected - compiled == set(), "catalogues missing from the wheel"
    assert compiled - expected == set(), "compiled catalogues without a source catalogue"
    with zipfile.ZipFile(built.wheel) as archive:
        for po in catalogues:
            with po.open("rb") as fh:
                source = translated(read_po(fh))
            with archive.open(str(po.relative_to(built.source).with_suffix(".mo"))) as fh:
                assert translated(read_mo(fh)) == source, f"{po.relative_to(built.source)} compiled stale"


def test_the_wheel_carries_templates_static_files_and_migrations(built):
    names = built.wheel_names()
    package_data = [
        p
        for p in built.source.glob("caseapp/**/*")
        if p.is_file() and {"templates", "static"} & set(p.relative_to(built.source).parts)
    ]
    assert package_data
    for path in package_data:
        assert str(path.relative_to(built.source)) in names
    migrations = [p for p in (built.source / "migrations").rglob("*") if p.is_file()]
    assert any(p.parent.name == "versions" for p in migrations)
    for path in migrations:
        assert f"caseapp/{path.relative_to(built.source)}" in names
    assert "config/__init__.py" in names


def test_the_source_distribution_carries_what_the_wheel_is_built_from(built):
    import tarfile

    with tarfile.open(built.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in ("setup.py", "pyproject.toml", "README.md", "migrations/env.py"):
        assert required in names
    for po in built.source.glob(CATALOGUES):
        assert str(po.relative_to(built.source)) in names
    assert not [name for name in names if name.endswith(".mo")]


# The README's deployment block, run as written: only its example values change, each to this machine's.
def readme_deployment() -> str:
    section = (ROOT / "README.md").read_text().split("\n## Deploying", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "README's Deploying section has no sh block"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Proxy:
    """Speaks to gunicorn as the TLS-terminating proxy does (X-Forwarded-Proto: https), keeping the
    browser's cookies itself: the app's cookies are Secure and its CSRF check compares the referrer."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict) -> tuple[int, dict, str]:
        """Submit the form on `path` as a browser would: with the CSRF token the page carries."""
        status, _headers, page = self.get(path)
        assert status == 200, page[:500]
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        return self.request("POST", path, {**fields, "csrf_token": token})


def danish(source: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for po in source.glob(CATALOGUES):
        with po.open("rb") as fh:
            found.update(translated(read_po(fh)))
    return found


@pytest.fixture
def fresh_postgres(postgres_database):
    return postgres_database("deploy")


def operator_environment(home: Path) -> dict[str, str]:
    """A shell as an operator's: none of the checkout's virtualenv, settings or paths."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CASEAPP_", "PYTHON", "VIRTUAL_ENV", "PYTEST", "FLASK_"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and not Path(p).resolve().is_relative_to(ROOT)
    )
    env["HOME"] = str(home)  # gunicorn keeps its control socket under $HOME
    return env


@pytest.mark.deployment
def test_the_readme_deployment_works_as_written(built, fresh_postgres, tmp_path):
    operator, home = tmp_path / "operator", tmp_path / "home"
    operator.mkdir()
    home.mkdir()
    shutil.copy2(built.wheel, operator)
    (operator / "password.txt").write_text("a leader's long password\n")
    port = free_port()
    examples = {
        "/opt/caseapp": str(tmp_path / "opt-caseapp"),
        "/etc/caseapp": str(tmp_path / "etc-caseapp"),
        "postgresql://caseapp@db.example.dk/caseapp": fresh_postgres,
        "redis://cache.example.dk:6379/0": "",  # one host: the limiter's in-process store is enough
        "127.0.0.1:8000": f"127.0.0.1:{port}",
    }
    script = readme_deployment()
    for example, value in examples.items():
        assert example in script, f"the README's deployment no longer uses {example}"
        script = script.replace(example, value)
    (operator / "deploy.sh").write_text(script)

    out, err = (operator / "stdout").open("w"), (operator / "stderr").open("w")
    server = subprocess.Popen(
        ["bash", "-e", "-o", "pipefail", "deploy.sh"],
        cwd=operator,
        stdout=out,
        stderr=err,
        env=operator_environment(home),
        start_new_session=True,
    )
    try:
        proxy = Proxy(port)
        deadline = time.monotonic() + 240  # the install resolves every dependency
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"the deployment stopped (exit {server.returncode}):\n"
                    f"{(operator / 'stdout').read_text()}\n{(operator / 'stderr').read_text()[-4000:]}"
                )
            try:
                if proxy.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (operator / "stderr").read_text()[-4000:]
            time.sleep(0.5)
        check_installed_package(tmp_path / "opt-caseapp", operator)
        sign_in_as_first_leader(proxy, danish(built.source))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        out.close()
        err.close()


def check_installed_package(venv: Path, cwd: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run([str(venv / "bin" / "caseapp"), "--version"], cwd=cwd).strip() == f"caseapp {version}"
    location = run([str(venv / "bin" / "python"), "-c", "import caseapp; print(caseapp.__file__)"], cwd=cwd)
    assert Path(location.strip()).is_relative_to(venv), "the package must come from the installation"


def sign_in_as_first_leader(proxy: Proxy, da: dict[str, object]) -> None:
    status, headers, page = proxy.get("/login")
    assert status == 200
    assert '<html lang="da"' in page and f"<h1>{da['Log in']}</h1>" in page
    assert da["Password"] in page and ">Password<" not in page
    assert headers.get("Strict-Transport-Security"), "production mode sends HSTS"

    status, headers, _page = proxy.post_form(
        "/login", {"email": "leder@example.dk", "password": "a leader's long password"}
    )
    assert status == 302 and headers["Location"].endswith("/account/2fa/setup")
    status, _headers, setup = proxy.get("/account/2fa/setup")
    assert status == 200 and 'src="data:image/svg+xml' in setup  # the QR code
    assert da["Set up two-factor authentication"] in setup
    key = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', setup).group(1)
    status, _headers, codes = proxy.post_form("/account/2fa/setup", {"code": pyotp.TOTP(key).now()})
    assert status == 200, codes[:500]

    status, _headers, landing = proxy.get("/")
    assert status == 200
    assert "Lene Leder" in landing
    assert da["Your roles:"] in landing and "Your roles:" not in landing
