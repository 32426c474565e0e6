"""In-process per-request cost of caseapp's targets and of the reference, with the Flask test client
(no server, no network): `python bench/inproc.py --people 3000 --workdir /tmp/w [--profile person-api]`.
Prints CPU milliseconds per request (process time: steadier than wall time on a shared machine) for
each target; with --profile, a cProfile of that target; with --calls, Python function calls per request
(deterministic: what to compare when other work on the machine moves the CPU times)."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--caseload", type=int, default=300)
    parser.add_argument("--n", type=int, default=300, help="requests per target")
    parser.add_argument("--only", default="", help="comma-separated targets to run")
    parser.add_argument("--profile", default="", help="target name to profile (see --list)")
    parser.add_argument("--list", action="store_true", help="print the targets' names and stop")
    parser.add_argument("--calls", action="store_true", help="also count Python function calls per request")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--workdir", default="", help="keep the seeded databases here and reuse them")
    args = parser.parse_args()

    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="caseapp-prof-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CASEAPP_INSTANCE_DIR"] = str(workdir)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import run as bench

    secret_key = "prof-" + "x" * 40
    keys = workdir / "keys.json"
    url = f"sqlite:///{workdir / 'app.db'}"
    import pickle

    saved = workdir / "prepared.pickle"
    if saved.exists():
        prepared = pickle.loads(saved.read_bytes())  # noqa: S301 - written by this script just above
    else:
        from caseapp.crypto.keyring import Keyring

        Keyring.generate(keys)
        started = time.perf_counter()
        prepared = bench.prepare(url, keys, secret_key, args.people, 1, max(1, args.people // args.caseload))
        print("\n".join(prepared.seeding), f"(prepare {time.perf_counter() - started:.1f} s)")
        saved.write_bytes(pickle.dumps(prepared))

    import logging

    logging.disable(logging.NOTSET)
    from caseapp import create_app

    # The same targets as `make bench` (bench/run.py), named by their key ("person API" -> person-api);
    # the test client keeps each role's session cookie itself.
    targets = {
        target.key.lower().replace(" ", "-"): target
        for target in bench.app_targets(prepared, dict.fromkeys(("social_worker", "ssp", "leader"), ""))
        if target.connections is None  # "CPR search c=1" is the same requests one client at a time
    }
    if args.list:
        print("\n".join(targets))
        return 0
    app = create_app(bench.app_settings(url, keys, secret_key))
    clients = {}
    for role in ("social_worker", "ssp", "leader"):
        c = app.test_client()
        login(c, prepared.logins[role])
        clients[role] = c
    results = {}
    for name, target in targets.items():
        if args.only and name not in args.only.split(","):
            continue
        c = clients[target.role]
        headers = {k: v for k, v in target.headers.items() if k != "Cookie"}

        def one(k, c=c, requests=target.requests, headers=headers):
            method, path, body = requests[k % len(requests)]
            r = c.open(path, method=method, headers=headers, data=body or None)
            assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
            return r

        for k in range(20):
            one(k)
        if name == args.profile:
            prof = cProfile.Profile()
            prof.enable()
        t0 = time.process_time()
        for k in range(args.n):
            one(k)
        took = (time.process_time() - t0) / args.n * 1000
        if name == args.profile:
            prof.disable()
            pstats.Stats(prof).sort_stats(args.sort).print_stats(args.lines)
            prof.dump_stats(str(workdir / f"{name}.prof"))  # for pstats callers and callees
        results[name] = took
        calls = ""
        if args.calls:
            counter = cProfile.Profile()
            counter.enable()
            for k in range(20):
                one(k)
            counter.disable()
            calls = f" {pstats.Stats(counter).total_calls / 20:9,.0f} calls/request"
        print(f"{name:24s} {took:7.2f} ms/request{calls}", flush=True)

    # The reference, in-process too.
    ref_url = f"sqlite:///{workdir / 'ref.db'}"
    ref_keys = workdir / "ref-keys.json"
    import reference

    ref_saved = workdir / "ref.pickle"
    if ref_saved.exists():
        token, ids = pickle.loads(ref_saved.read_bytes())  # noqa: S301 - written by this script
    else:
        token, ids = reference.seed(ref_url, str(ref_keys), args.people, max(1, args.people // args.caseload), 1)
        ref_saved.write_bytes(pickle.dumps((token, ids)))
    os.environ["REFERENCE_DATABASE"] = ref_url
    os.environ["REFERENCE_KEYS"] = str(ref_keys)
    rc = reference.app.test_client()
    h = {"Authorization": f"Bearer {token}"}
    for k in range(20):
        assert rc.get(f"/api/v1/people/{ids[k % len(ids)]}", headers=h).status_code == 200
    t0 = time.process_time()
    for k in range(args.n):
        rc.get(f"/api/v1/people/{ids[k % len(ids)]}", headers=h)
    ref = (time.process_time() - t0) / args.n * 1000
    print(f"{'reference':24s} {ref:7.2f} ms/request")
    person = results.get("person-page")
    for name, took in results.items():
        versus = f"  {took / person:5.2f} x person page" if person else ""
        print(f"  {name:24s} x ref {ref / took:5.2f}{versus}")
    return 0


def login(client, staff) -> None:
    import pyotp

    for path, fields in (
        ("/login", {"email": staff.email, "password": "bench-password-2026"}),
        ("/login/2fa", {"code": None}),
    ):
        if path == "/login/2fa":
            if not staff.totp_secret:
                return
            fields = {"code": pyotp.TOTP(staff.totp_secret).now()}
        page = client.get(path).get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
        r = client.post(path, data={"csrf_token": token, **fields})
        assert r.status_code == 302, (path, r.status_code, r.get_data(as_text=True)[:300])


if __name__ == "__main__":
    sys.exit(main())
