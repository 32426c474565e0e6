"""The shape every domain keeps: one package that imports no other domain, declared once, and a new
declaration alone is enough to join navigation, export, erasure, retention and the records of processing."""

from __future__ import annotations

import ast
import uuid
from datetime import date
from pathlib import Path

import pytest
from flask import Blueprint

import caseapp
import caseapp.domains
from caseapp.domain import Domain, NavEntry
from caseapp.privacy import DisplayNames, ExpiredRecord, PersonalDataSource
from tests.conftest import log_in
from tests.people.factories import make_person

PACKAGE = Path(caseapp.__file__).resolve().parent
DOMAINS_DIR = PACKAGE / "domains"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["caseapp", "domains"] else None


def test_a_domain_never_imports_another_domain():
    domains = [d for d in DOMAINS_DIR.iterdir() if (d / "__init__.py").exists()]
    assert len(domains) >= 3
    crossings = []
    for domain in domains:
        for path in domain.rglob("*.py"):
            for module in imported_modules(path):
                other = domain_of(module)
                if other is not None and other != domain.name and (DOMAINS_DIR / other).is_dir():
                    crossings.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert crossings == []


def test_the_platform_and_shared_machinery_import_no_domain():
    # Only the list of domains and the app factory that reads it may name them.
    allowed = {DOMAINS_DIR / "__init__.py", PACKAGE / "__init__.py"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if DOMAINS_DIR in path.parents or path in allowed:
            continue
        offenders += [
            f"{path.relative_to(PACKAGE)} imports {m}" for m in imported_modules(path) if domain_of(m) is not None
        ]
    assert offenders == []


def test_each_domain_is_listed_once_and_declares_its_own_package():
    names = [d.name for d in caseapp.domains.DOMAINS]
    assert len(names) == len(set(names))
    for declared in caseapp.domains.DOMAINS:
        assert declared.package == f"caseapp.domains.{declared.name}"
        assert (DOMAINS_DIR / declared.name / "__init__.py").exists()


# A domain declared with nothing but its package -------------------------------------------------------

MARK = "SHAPEMARK"
erased: list[uuid.UUID] = []
purged: list[ExpiredRecord] = []


def _new_domain() -> Domain:
    bp = Blueprint("shapetest", __name__, url_prefix="/shapetest")
    bp.add_url_rule("/", "index", lambda: "the new domain's page")
    source = PersonalDataSource(
        domain="shapetest",
        names=DisplayNames(title="Shape test"),
        export=lambda person_id: [{"kind": "shape_record", "marker": f"{MARK}-{person_id}"}],
        erase=lambda person_id: erased.append(person_id) or {"shape_record": 1},
        expired=lambda today: [ExpiredRecord("shapetest_ended", "shape_record", "r1")],
        purge=purged.append,
    )
    return Domain(
        name="shapetest",
        package=__name__,
        blueprint=bp,
        navigation=(NavEntry("shapetest.index", "Shape test", None),),
        retention={"shapetest_ended": 30},
        privacy=source,
    )


@pytest.fixture
def app_with_new_domain(other_app, monkeypatch):
    monkeypatch.setattr(caseapp.domains, "DOMAINS", (*caseapp.domains.DOMAINS, _new_domain()))
    erased.clear()
    purged.clear()
    return other_app()


def test_a_new_domain_joins_navigation_export_erasure_retention_and_processing(app_with_new_domain, make_user):
    application = app_with_new_domain
    client = application.test_client()
    leader = make_user("leader")
    person_id = make_person(application)
    log_in(client, leader)

    landing = client.get("/").get_data(as_text=True)
    assert 'href="/shapetest/"' in landing and "Shape test" in landing

    exported = client.post(
        f"/data-protection/people/{person_id}/access-export",
        data={"format": "json", "csrf_token": client.csrf_token("/")},
    )
    assert exported.status_code == 200 and f"{MARK}-{person_id}" in exported.get_data(as_text=True)

    with application.test_request_context():
        from caseapp.domains.dataprotection import processing, retention

        document = processing.processing_document()
        assert document["retention_periods_days"]["shapetest_ended"] == 30
        due = retention.due(date.today())
        assert any(item.domain == "shapetest" and item.record.object_id == "r1" for item in due)
        retention.purge(date.today())
        assert [r.object_id for r in purged] == ["r1"]

    erasure = client.submit(
        f"/data-protection/people/{person_id}/erase",
        {"ground": "request", "reason": "Anmodning modtaget pr. brev 3. november", "confirm": "y"},
    )
    assert erasure.status_code == 302, erasure.get_data(as_text=True)[:500]
    assert erased == [uuid.UUID(person_id)]
