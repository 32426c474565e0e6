"""The README and docs/ stand alone, and say truthfully how the demo accounts sign in.

Every relative link (and every `../` path mentioned in the text) must name a file inside the repository
that exists, and a `#fragment` into a Markdown file must name one of its headings.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from caseapp.demo import accounts as demo_accounts
from config import BaseConfig

ROOT = Path(__file__).resolve().parents[2]
INLINE_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HTML_LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
PARENT_PATH = re.compile(r"(?<![\w/.])\.\./[\w./-]*")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto:


def documents(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").rglob("*.md")), *sorted((root / "bench").rglob("*.md"))]


def heading_anchors(path: Path) -> set[str]:
    """The fragments GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens."""
    anchors, seen = set(), {}
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = None if in_code else re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            slug = re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def link_problems(document: Path, root: Path) -> list[str]:
    text = document.read_text()
    problems = []
    targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text) + HTML_LINK.findall(text)
    for target in targets:
        if EXTERNAL.match(target):
            continue
        path, _, fragment = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document.resolve()
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in heading_anchors(resolved):
            problems.append(f"{target}: no heading #{fragment} in {resolved.name}")
    for mention in PARENT_PATH.findall(text):
        if not (document.parent / mention).resolve().is_relative_to(root.resolve()):
            problems.append(f"{mention}: outside the repository")
    return problems


@pytest.mark.parametrize("document", documents(ROOT), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository_and_resolve(document):
    assert document.exists()
    assert link_problems(document, ROOT) == []


def test_the_link_check_catches_what_it_must(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("# Here\n\n## Keep it safe\n")
    readme = tmp_path / "README.md"
    readme.write_text(
        "[ok](docs/here.md) [ok](docs/here.md#keep-it-safe) [ok](#top) [web](https://example.dk/x)\n"
        "# Top\n"
        "[out](../shared/DESIGN.md) [gone](docs/missing.md) [anchor](docs/here.md#nowhere)\n"
        "see `../shared/GLOSSARY.md`\n"
        "[ref]: ../outside.md\n"
    )
    assert link_problems(readme, tmp_path) == [
        "../shared/DESIGN.md: outside the repository",
        "docs/missing.md: no such file",
        "docs/here.md#nowhere: no heading #nowhere in here.md",
        "../outside.md: outside the repository",
        "../shared/DESIGN.md: outside the repository",
        "../shared/GLOSSARY.md: outside the repository",
        "../outside.md: outside the repository",
    ]


def readme_demo_rows() -> dict[str, str]:
    """e-mail -> the 'first login' cell of the README's demo table."""
    section = (ROOT / "README.md").read_text().split("\n## Signing in to the demo", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3:
            for email in re.findall(r"`([^`]+@[^`]+)`", cells[0]):
                rows[email] = cells[2]
    return rows


def test_the_readme_says_how_every_demo_account_signs_in():
    rows = readme_demo_rows()
    two_factor = BaseConfig.TWO_FACTOR_ROLES
    assert sorted(rows) == sorted(email for _role, email in demo_accounts.listing())
    for role, email in demo_accounts.listing():
        assert rows[email] == ("two-factor enrolment" if role in two_factor else "password only"), email
    readme = (ROOT / "README.md").read_text()
    assert f"`{demo_accounts.DEMO_PASSWORD}`" in readme
    assert ", ".join(f"`{r}`" for r in ("admin", "leader", "ssp", "police")) in readme
    assert set(two_factor) == {"admin", "leader", "ssp", "police"}


def test_make_run_says_how_every_demo_account_signs_in():
    lines = demo_accounts.sign_in_help(BaseConfig.TWO_FACTOR_ROLES)
    text = "\n".join(lines)
    assert demo_accounts.DEMO_PASSWORD in lines[0]
    for role, email in demo_accounts.listing():
        (line,) = [line for line in lines if email in line.split()]
        assert line.endswith("two-factor") == (role in BaseConfig.TWO_FACTOR_ROLES), line
    for words in ("QR code", "key", "authenticator app (TOTP)", "recovery codes"):
        assert words in text


@pytest.mark.parametrize(
    ("variables", "host", "port"),
    [
        ([], "127.0.0.1", "5000"),
        (["PORT=5055"], "127.0.0.1", "5055"),
        (["PORT=5055", "HOST=0.0.0.0"], "0.0.0.0", "5055"),  # noqa: S104 - what the option is for
    ],
)
def test_make_run_serves_on_the_port_asked_for(variables, host, port):
    commands = subprocess.run(
        ["make", "--dry-run", "run", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert f"caseapp run --host {host} --port {port}" in commands
    assert f"http://{host}:{port}/" in commands
