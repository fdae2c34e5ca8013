"""Syncs from RunSignUp, ChronoTrack and Race Roster against a fake provider on loopback
(tests/support/fake_provider.py), and their results documents imported as files: paging edges, an empty
race, 429 with Retry-After, a 500 then success, a timeout, a malformed row, a renamed bib, a withdrawn
runner, incremental runs, a run killed half-way, TLS verification, and credentials that never show.
Expected values are worked out here from the fake's own data, not read back from the library."""

import copy
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

import racetiming

SOURCE = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE / "tests" / "support"))
import fake_provider as fp  # noqa: E402

PROVIDERS = ["runsignup", "chronotrack", "raceroster"]
KEY = "a passphrase only the operator knows"


def credentials(provider):
    return {"runsignup": {"api_key": fp.FakeProvider.RSU_KEY, "api_secret": fp.FakeProvider.RSU_SECRET},
            "chronotrack": {"client_id": fp.FakeProvider.CT_CLIENT, "user_id": fp.FakeProvider.CT_USER,
                            "password": fp.FakeProvider.CT_PASSWORD},
            "raceroster": {"access_token": fp.FakeProvider.RR_TOKEN}}[provider]


SECRETS = [fp.FakeProvider.RSU_SECRET, fp.FakeProvider.CT_PASSWORD, fp.FakeProvider.RR_TOKEN]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'sync.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def fake():
    with fp.FakeProvider(fp.sample_events()) as f:
        yield f


_partners = [0]


def partner_with(engine, fake, provider, event_ids=("4101", "4102")):
    _partners[0] += 1
    slug = f"sync-{os.getpid()}-{_partners[0]}-{time.time_ns()}"
    partner = engine.add_partner(slug, slug)
    engine.put_integration(partner, provider, fake.url, credentials(provider), list(event_ids))
    return partner


def fast(**extra):
    """Retries that do not make a test wait long."""
    return {"initial_backoff_ms": 10, "max_backoff_ms": 2000, **extra}


def stored(engine, partner):
    """Every entry of the partner with its results (finish and splits), keyed by race and bib."""
    out = {}
    for p in engine.participants(partner, limit=1000)["data"]:
        out[(p["race_id"], p["bib"])] = dict(p)
    for r in engine.results(partner, limit=1000)["data"]:
        out[(r["race_id"], r["bib"])]["finish"] = (r["results_time_ms"], r["gun_time_ms"], r["overall_place"],
                                                    r["gender_place"], r["division_place"])
    return out


def expected_entries(fake, provider):
    """What each provider can tell of the fake's runners: ChronoTrack lists only runners with a timing
    point (a DNS has none; a DNF passed the halfway mat, so it shows as started)."""
    out = {}
    for e in fake.events:
        for race in e.races:
            for r in race.runners:
                status = r.status
                if provider == "chronotrack":
                    if status == "dns":
                        continue
                    status = "started" if status == "dnf" else status
                out[(race.id, r.bib)] = (r, status)
    return out


def ms(hms):
    return round(fp.seconds(hms) * 1000)


def race_ids(engine, partner, fake=None):
    """The stored race id of each of the fake's races (their names differ)."""
    names = {race.name: race.id for e in (fake or fp.FakeProvider(fp.sample_events())).events for race in e.races}
    return {names[r["race_name"]]: r["race_id"] for r in engine.races(partner, limit=100)["data"]}


# --- a whole sync ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_full_sync_brings_every_entry_with_places(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    run = engine.sync(partner, provider, page_size=5, **fast())
    assert run["status"] == "succeeded", run
    assert run["mode"] == "full" and run["races_total"] == 3 and run["races_done"] == 3
    want = expected_entries(fake, provider)
    races = race_ids(engine, partner)
    got = stored(engine, partner)
    assert {(ext, bib) for (ext, bib) in want} == {(ext, bib) for ext, rid in races.items() for (r2, bib) in got if r2 == rid}
    assert run["created"] == len(got) == len(want) and run["updated"] == 0 and run["failed"] == 0
    assert run["read"] == len(want)
    for (race_ext, bib), (runner, status) in want.items():
        entry = got[(races[race_ext], bib)]
        assert (entry["first_name"], entry["last_name"], entry["gender"], entry["age"], entry["status"]) == \
            (runner.first, runner.last, runner.gender, runner.age, status)
        if status == "finished":
            assert entry["finish"][0] == ms(runner.chip)
            assert entry["finish"][1] == ms(runner.gun)
    # places, ranked here by chip time per race
    for e in fake.events:
        for race in e.races:
            finishers = sorted((ms(r.chip), r.bib) for r in race.runners if r.status == "finished")
            for place, (_, bib) in enumerate(finishers, 1):
                assert got[(races[race.id], bib)]["finish"][2] == place
    # the run as the history shows it
    history = engine.sync_runs(partner)
    assert history[0]["sync_run_id"] == run["sync_run_id"] and history[0]["created"] == len(got)
    assert history[0]["finished_at"] and history[0]["status"] == "succeeded"
    assert engine.integration(partner, provider)["watermark"] is not None
    # disabled, it stays as it is
    engine.put_integration(partner, provider, fake.url, {}, ["4101", "4102"], enabled=False)
    assert engine.integration(partner, provider)["enabled"] is False
    with pytest.raises(racetiming.Conflict, match="disabled"):
        engine.sync(partner, provider)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_syncing_the_same_data_again_changes_nothing(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    assert engine.sync(partner, provider, **fast())["status"] == "succeeded"
    before = stored(engine, partner)
    for full in (False, True):
        run = engine.sync(partner, provider, full=full, **fast())
        assert run["status"] == "succeeded", run
        assert (run["created"], run["updated"], run["removed"]) == (0, 0, 0)
        assert stored(engine, partner) == before


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("page_size", [1, 7, 14, 1000])
def test_paging_edges(tmp_path, fake, provider, page_size):
    """14 runners a race: pages of one row, an exact multiple (an empty last page), one full page, one
    short page; ChronoTrack pages count its timing-point rows and say the page count."""
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'p.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    run = engine.sync(partner, provider, page_size=page_size, **fast())
    assert run["status"] == "succeeded", run
    assert run["created"] == len(expected_entries(fake, provider))
    results = fake.requests_to("results")
    if provider != "chronotrack":  # a request per page, ending on the first short page
        per_race = -(-14 // page_size) + (1 if 14 % page_size == 0 else 0)
        assert len(results) == 3 * per_race


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_race_without_results_is_an_empty_page(tmp_path, fake, provider):
    fake.events[1].races[0].runners = []
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'e.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    run = engine.sync(partner, provider, **fast())
    assert run["status"] == "succeeded" and run["races_done"] == 3
    assert set(race_ids(engine, partner)) == {"7001", "7002"}


# --- failures on the way -------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_429_with_retry_after_and_a_500_are_retried(tmp_path, fake, provider):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'r.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    fake.fail("results", 429, retry_after=1)
    fake.fail("results", 500)
    started = time.monotonic()
    run = engine.sync(partner, provider, **fast())
    assert run["status"] == "succeeded", run
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was waited for
    assert run["created"] == len(expected_entries(fake, provider))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_timeout_is_retried(tmp_path, fake, provider):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 't.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    fake.delay("results", 2.0)
    run = engine.sync(partner, provider, read_timeout_ms=400, **fast())
    assert run["status"] == "succeeded", run
    assert run["created"] == len(expected_entries(fake, provider))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_down_keeps_the_races_done_and_the_next_run_completes(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    second_race = {"runsignup": "4102/results", "chronotrack": "race/7003/results", "raceroster": "sub-events/7003"}[provider]
    fake.fail(second_race, 500, times=100)
    run = engine.sync(partner, provider, max_attempts=2, **fast())
    assert run["status"] == "failed"
    assert "HTTP 500" in run["error"] and "2 times" in run["error"], run["error"]
    done = stored(engine, partner)
    want = expected_entries(fake, provider)
    assert len(done) == sum(1 for (race, _) in want if race != "7003") and run["races_done"] == 2
    assert engine.integration(partner, provider)["watermark"] is None  # nothing to resume from but a full run
    fake.faults.clear()
    again = engine.sync(partner, provider, **fast())
    assert again["status"] == "succeeded" and again["mode"] == "full"
    assert len(stored(engine, partner)) == len(want)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_malformed_row_is_reported_and_the_rest_imported(db_url, fake, provider):
    bad = fake.events[0].races[0].runners[3]
    bad.chip = "1:75:00"  # minutes of 75
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    run = engine.sync(partner, provider, **fast())
    assert run["status"] == "succeeded", run
    assert run["failed"] == 1 and bad.bib in run["error"] and "1:75:00" in run["error"], run
    got = stored(engine, partner)
    assert len(got) == len(expected_entries(fake, provider)) - 1
    assert not any(bib == bad.bib for (_, bib) in got)


def test_the_request_budget_ends_a_run(tmp_path, fake):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'b.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, "runsignup")
    run = engine.sync(partner, "runsignup", request_budget=4, **fast())
    assert run["status"] == "failed" and "budget of 4 requests" in run["error"], run


def test_a_provider_error_in_a_200_answer_fails_the_run(tmp_path, fake):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'x.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, "runsignup")
    engine.put_integration(partner, "runsignup", fake.url, {"api_key": "wrong", "api_secret": "also-wrong-SENTINEL"}, ["4101"])
    run = engine.sync(partner, "runsignup", **fast())
    assert run["status"] == "failed" and "Key authentication failed" in run["error"], run
    assert "also-wrong-SENTINEL" not in run["error"]


# --- changes between runs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_renamed_bib_keeps_its_entry(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    assert engine.sync(partner, provider, **fast())["status"] == "succeeded"
    runner = fake.events[0].races[0].runners[2]
    before = {p["bib"]: p["participant_id"] for p in engine.participants(partner, limit=1000)["data"]}
    old_bib, runner.bib, runner.modified = runner.bib, "9999", int(time.time()) + 60
    run = engine.sync(partner, provider, **fast())
    assert run["status"] == "succeeded", run
    after = {p["bib"]: p["participant_id"] for p in engine.participants(partner, limit=1000)["data"]}
    assert old_bib not in after and after["9999"] == before[old_bib]
    assert len(after) == len(before) and run["created"] == 0 and run["updated"] == 1


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_withdrawn_runner_goes_on_a_full_sync_and_places_move_up(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    assert engine.sync(partner, provider, **fast())["status"] == "succeeded"
    race = fake.events[0].races[1]
    winner = min((r for r in race.runners if r.status == "finished"), key=lambda r: ms(r.chip))
    race.runners.remove(winner)
    run = engine.sync(partner, provider, full=True, **fast())
    assert run["status"] == "succeeded" and run["removed"] == 1, run
    got = stored(engine, partner)
    rid = race_ids(engine, partner)[race.id]
    assert (rid, winner.bib) not in got
    second = min((r for r in race.runners if r.status == "finished"), key=lambda r: ms(r.chip))
    assert got[(rid, second.bib)]["finish"][2] == 1


@pytest.mark.parametrize("provider", ["runsignup", "chronotrack"])
def test_an_incremental_run_reads_and_changes_only_what_changed(db_url, fake, provider):
    engine = racetiming.Engine(db_url, credentials_key=KEY)
    partner = partner_with(engine, fake, provider)
    assert engine.sync(partner, provider, **fast())["status"] == "succeeded"
    watermark = engine.integration(partner, provider)["watermark"]
    race = fake.events[0].races[0]
    runner = max((r for r in race.runners if r.status == "finished"), key=lambda r: ms(r.chip))
    runner.chip, runner.gun, runner.modified = "0:59:00", "0:59:30", int(time.time()) + 60  # last to first
    before = stored(engine, partner)
    fake.requests.clear()
    run = engine.sync(partner, provider, **fast())
    assert run["status"] == "succeeded" and run["mode"] == "incremental", run
    since = {"runsignup": "modified_after_timestamp", "chronotrack": "modified_after"}[provider]
    asked = {r["query"].get(since) for r in fake.requests_to("results")}
    assert asked == {str(watermark - 300)}
    assert (run["read"], run["created"], run["updated"]) == (1, 0, 1)
    after = stored(engine, partner)
    rid = race_ids(engine, partner)[race.id]
    assert after[(rid, runner.bib)]["finish"][:3] == (59 * 60 * 1000, 59 * 60 * 1000 + 30000, 1)
    changed = {k for k in after if after[k] != before[k]}
    # the runner, and every finisher of that race it passed (their places moved); nothing elsewhere
    assert all(k[0] == rid for k in changed) and (rid, runner.bib) in changed


def test_an_event_added_to_the_list_is_read_whole(tmp_path, fake):
    """Changes since the last run would miss an added event's older results: the next run is full."""
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'add.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, "runsignup", event_ids=("4101",))
    assert engine.sync(partner, "runsignup", **fast())["created"] == 28
    engine.put_integration(partner, "runsignup", fake.url, {}, ["4101", "4102"])
    run = engine.sync(partner, "runsignup", **fast())
    assert run["mode"] == "full" and run["created"] == 14, run
    assert engine.sync(partner, "runsignup", **fast())["mode"] == "incremental"


def test_race_roster_has_no_incremental_and_reads_everything(tmp_path, fake):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'rr.db'}", credentials_key=KEY)
    partner = partner_with(engine, fake, "raceroster")
    engine.sync(partner, "raceroster", **fast())
    run = engine.sync(partner, "raceroster", **fast())
    assert run["mode"] == "full" and run["read"] == 42 and run["updated"] == 0


def test_a_killed_sync_loses_nothing_and_the_next_run_completes(tmp_path, fake):
    """A sync in another process is killed (SIGKILL) while it waits on the third race; its first races
    are committed, its run stays 'running' until the next run marks it interrupted and completes."""
    data = tmp_path / "events.json"
    data.write_text(fp.events_to_json(fake.events))
    db = tmp_path / "killed.db"
    server = subprocess.Popen([sys.executable, str(SOURCE / "tests" / "support" / "fake_provider.py"), "--data", str(data),
                               "--hang", "4102/results"], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        engine = racetiming.Engine(f"sqlite:{db}", credentials_key=KEY)
        _partners[0] += 1
        partner = engine.add_partner("killed", "killed")
        creds = credentials("runsignup")
        engine.put_integration(partner, "runsignup", f"http://127.0.0.1:{port}", creds, ["4101", "4102"])
        script = ("import racetiming, sys\n"
                  f"e = racetiming.Engine('sqlite:{db}', credentials_key={KEY!r})\n"
                  f"e.sync({partner}, 'runsignup', read_timeout_ms=600000)\n")
        worker = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = engine.sync_runs(partner)
            if runs and runs[0]["races_done"] >= 2:
                break
            time.sleep(0.05)
        assert runs and runs[0]["status"] == "running" and runs[0]["races_done"] == 2, runs
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        half = stored(engine, partner)
        assert len(half) == 28  # the two races of event 4101, committed
    finally:
        server.kill()
        server.wait()
    # the fake again, answering everything
    engine.put_integration(partner, "runsignup", fake.url, {}, ["4101", "4102"])
    run = engine.sync(partner, "runsignup", **fast())
    assert run["status"] == "succeeded" and run["mode"] == "full"
    assert len(stored(engine, partner)) == 42 and run["created"] == 14
    killed = engine.sync_runs(partner)[1]
    assert killed["status"] == "failed" and "interrupted" in killed["error"]


# --- credentials, TLS, bad input --------------------------------------------------------------------------------

def test_credentials_never_come_back(tmp_path, fake):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'c.db'}", credentials_key=KEY)
    seen = []
    for provider in PROVIDERS:
        partner = partner_with(engine, fake, provider)
        seen.append(repr(engine.integrations(partner)))
        seen.append(repr(engine.sync(partner, provider, **fast())))
        # a failing run's message
        fake.fail("/", 403, times=1)
        seen.append(repr(engine.sync(partner, provider, full=True, max_attempts=1, **fast())))
        seen.append(repr(engine.sync_runs(partner)))
    text = "\n".join(seen)
    for secret in SECRETS + [fp.FakeProvider.RSU_KEY]:
        assert secret not in text
    # at rest: sealed, not in clear (nor the ChronoTrack password's SHA-1, which is what the provider takes)
    import hashlib
    raw = "\n".join(str(row) for row in sqlite3.connect(tmp_path / "c.db").execute("SELECT * FROM integrations"))
    for secret in SECRETS + [hashlib.sha1(fp.FakeProvider.CT_PASSWORD.encode()).hexdigest()]:
        assert secret not in raw
    assert "api_key,api_secret|v1:" in raw
    # another key cannot open them: the run fails saying so, not with garbage
    other = racetiming.Engine(f"sqlite:{tmp_path / 'c.db'}", credentials_key="not the key")
    partner = engine.integrations  # noqa: F841
    pid = [p for p in other.partners() if p["slug"].startswith("sync-")][0]["timing_partner_id"]
    run = other.sync(pid, "runsignup", **fast())
    assert run["status"] == "failed" and "another credentials key" in run["error"]


def test_tls_certificates_are_verified(tmp_path, fake):
    import ssl
    import threading
    from http.server import ThreadingHTTPServer
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    handler = fake.server.RequestHandlerClass
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        engine = racetiming.Engine(f"sqlite:{tmp_path / 'tls.db'}", credentials_key=KEY)
        partner = engine.add_partner("tls", "tls")
        engine.put_integration(partner, "raceroster", f"https://127.0.0.1:{server.server_address[1]}",
                               credentials("raceroster"), ["4102"])
        run = engine.sync(partner, "raceroster", max_attempts=1, **fast())
        assert run["status"] == "failed" and "certificate verify failed" in run["error"], run
        run = engine.sync(partner, "raceroster", ca_file=str(cert), **fast())
        assert run["status"] == "succeeded" and run["created"] == 14, run
    finally:
        server.shutdown()
        server.server_close()


def test_bad_input_is_refused_with_a_code(tmp_path, fake):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'bad.db'}", credentials_key=KEY)
    partner = engine.add_partner("bad", "bad")
    cases = [
        (lambda: engine.put_integration(partner, "strava", fake.url), racetiming.InvalidParameter, "provider"),
        (lambda: engine.put_integration(partner, "runsignup", "ftp://example.test"), racetiming.InvalidParameter, "base_url"),
        (lambda: engine.put_integration(partner, "runsignup", "not a url"), racetiming.InvalidParameter, "base_url"),
        (lambda: engine.put_integration(partner, "runsignup", "https://u:p@example.test"), racetiming.InvalidParameter, "base_url"),
        (lambda: engine.put_integration(partner, "runsignup", fake.url, {"api_key": "k"}), racetiming.InvalidParameter, "credentials"),
        (lambda: engine.put_integration(partner, "chronotrack", fake.url, {"client_id": "c", "user_id": "u", "pin": "1"}),
         racetiming.InvalidParameter, "credentials"),
        (lambda: engine.put_integration(partner, "runsignup", fake.url, {}, ["a/b"]), racetiming.InvalidParameter, "event_ids"),
        (lambda: engine.sync(partner, "runsignup"), racetiming.NotFound, "provider"),
        (lambda: engine.integration(partner, "runsignup"), racetiming.NotFound, "provider"),
        (lambda: engine.remove_integration(partner, "runsignup"), racetiming.NotFound, "provider"),
        (lambda: engine.sync_run(partner, 999), racetiming.NotFound, "sync_run_id"),
        (lambda: engine.sync_runs(partner, 0), racetiming.InvalidParameter, "limit"),
    ]
    for call, error, parameter in cases:
        with pytest.raises(error) as caught:
            call()
        assert caught.value.parameter == parameter, caught.value
    assert engine.integrations(partner) == []
    # no key configured: credentials cannot be stored, and nothing is
    keyless = racetiming.Engine(f"sqlite:{tmp_path / 'bad.db'}")
    with pytest.raises(racetiming.Unavailable, match="no credentials key"):
        keyless.put_integration(partner, "runsignup", fake.url, credentials("runsignup"))
    assert keyless.integrations(partner) == []
    # Race Roster needs its events named
    keyless.put_integration(partner, "raceroster", fake.url)
    run = keyless.sync(partner, "raceroster")
    assert run["status"] == "failed" and "event_ids" in run["error"]
    # a disabled integration does not sync
    keyless.put_integration(partner, "raceroster", fake.url, {}, ["4101"], enabled=False)
    with pytest.raises(racetiming.Conflict, match="disabled"):
        keyless.sync(partner, "raceroster")
    keyless.remove_integration(partner, "raceroster")
    assert keyless.integrations(partner) == []


# --- provider documents as files ------------------------------------------------------------------------------

def document(fake, provider, race_id):
    """The provider's results answer for one race, as the fake serves it."""
    fake.require_auth = False
    path = {"runsignup": f"/Rest/race/4101/results/get-results",
            "chronotrack": f"/api/race/{race_id}/results",
            "raceroster": f"/v2/api/result-events/9101/sub-events/{race_id}/results"}[provider]
    import json
    status, body, _ = fake.route(path, {"format": "json", "event_id": race_id, "results_per_page": "100", "size": "100",
                                        "limit": "100"}, {})
    assert status == 200
    return json.dumps(body)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_provider_document_imports_as_a_file(tmp_path, fake, provider):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'f.db'}")
    partner = engine.add_partner("files", "files")
    doc = document(fake, provider, "7002")
    context = dict(event_name="Riverbend Half Marathon", event_date="2025-05-18", race_name="5K")
    report = engine.import_results(partner, provider, doc, **context)
    want = {bib for (race, bib) in expected_entries(fake, provider) if race == "7002"}
    assert report["created"] == len(want) and report["races"] == 1
    assert {p["bib"] for p in engine.participants(partner, limit=100)["data"]} == want
    race = engine.races(partner)["data"][0]
    assert (race["race_name"], race["distance_m"]) == ("5K", 5000)
    again = engine.import_results(partner, provider, doc, **context)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, len(want))
    assert engine.sync_runs(partner)[0]["provider"] == provider


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_bad_provider_document_is_refused_and_imports_nothing(tmp_path, fake, provider):
    engine = racetiming.Engine(f"sqlite:{tmp_path / 'g.db'}")
    partner = engine.add_partner("files", "files")
    good = document(fake, provider, "7002")
    context = dict(event_name="E", event_date="2025-05-18", race_name="5K")
    cases = [
        (("{not json", context), racetiming.InvalidInput, "not JSON"),
        (("[1, 2]", context), racetiming.InvalidInput, "not "),
        ((good, {**context, "event_date": "18/05/2025"}), racetiming.InvalidParameter, "event_date"),
        ((good, {**context, "event_name": ""}), racetiming.InvalidParameter, "event_name"),
        ((good, {**context, "race_name": "Fun Run"}), racetiming.InvalidParameter, "race_distance_m"),
    ]
    for (doc, ctx), error, words in cases:
        with pytest.raises(error, match=words):
            engine.import_results(partner, provider, doc, **ctx)
    bad = good.replace("0:", "0;", 1) if provider != "raceroster" else good.replace('"COMPLETE"', '"RUNNING"', 1)
    with pytest.raises(racetiming.InvalidInput):
        engine.import_results(partner, provider, bad, **context)
    assert engine.participants(partner)["data"] == []
    skipped = engine.import_results(partner, provider, bad, on_error="skip", **context)
    assert skipped["skipped"] == 1 and skipped["created"] >= 10
