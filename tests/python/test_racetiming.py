"""The racetiming Python module on the shared fixtures: every public call, errors with their codes,
bad input, and threads that share one Engine with the GIL released."""

import os
import pathlib
import sqlite3
import subprocess
import threading
import time

import pytest

import racetiming

SHARED = pathlib.Path(os.environ.get("RACETIMING_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
FIXTURES = SHARED / "fixtures"
TODAY = "2026-11-25"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = racetiming.Engine("sqlite:" + str(tmp_path_factory.mktemp("db") / "rt.db"))
    big_river = e.add_partner("Big River Race Management", "big-river")
    mid_hudson = e.add_partner("Mid-Hudson Road Runners", "mid-hudson")
    assert (big_river, mid_hudson) == (1, 2)
    report = e.import_csv(big_river, str(FIXTURES / "big-river.csv"))
    assert report["created"] == 10470 and report["errors"] == []
    e.import_csv(mid_hudson, str(FIXTURES / "mid-hudson.csv"))
    return e


def test_engine_basics(engine):
    assert engine.dialect == "sqlite"
    assert engine.schema_version() > 0
    assert engine.migrate() == 0  # already up to date
    assert engine.ping()
    assert "run:nl-query" in racetiming.permissions()
    assert racetiming.format_duration(3 * 3600 * 1000) == "3:00:00"


def test_partners_users_and_keys(engine):
    partners = {p["slug"]: p for p in engine.partners()}
    assert partners["big-river"]["participants"] == 10470
    user = engine.add_user(1, "Josh Adams", "josh@example.com", ["read:events", "run:nl-query"])
    key = engine.create_key(1, user=user)
    assert key["api_key"].startswith("rt_")
    who = engine.authenticate(key["api_key"])
    assert who["partner_id"] == 1 and who["user_id"] == user
    assert sorted(who["permissions"]) == ["read:events", "run:nl-query"]
    engine.revoke_key(key["key_id"])
    with pytest.raises(racetiming.Unauthenticated) as e:
        engine.authenticate("rt_000000000000_" + "0" * 48)
    assert e.value.code == "unauthenticated"
    with pytest.raises(racetiming.InvalidParameter):
        engine.add_user(1, "Nobody", permissions=["fly:planes"])
    with pytest.raises(racetiming.Conflict):
        engine.add_partner("Big River Race Management", "big-river")


def test_ask_answers_with_rows_sql_and_context(engine):
    a = engine.ask(1, "How many runners finished the Boston Marathon under 3 hours?", today=TODAY)
    assert a["rows"] == [{a["columns"][0]: 73}]
    assert a["sql"].startswith("SELECT") and a["params"][0] == 1
    assert a["summary"] and a["interpretation"]
    women = engine.ask(1, "and for women?", context=a["context"], today=TODAY)
    assert 0 < list(women["rows"][0].values())[0] < 73
    assert "73" in engine.ask(1, "How many runners finished the Boston Marathon under 3 hours?", format="summary", today=TODAY)
    csv = engine.ask(1, "Who won the Boston Marathon?", format="csv", today=TODAY)
    assert csv.splitlines()[0].startswith("result_id") or "first_name" in csv.splitlines()[0]


def test_ask_refuses_what_it_does_not_understand(engine):
    with pytest.raises(racetiming.Refused) as e:
        engine.ask(1, "What is the phone number of the Boston Marathon winner?", today=TODAY)
    assert e.value.code == "nl_unsupported"
    assert isinstance(e.value.suggestions, list)
    with pytest.raises(racetiming.InvalidParameter):
        engine.ask(1, "How many finished?", format="xml")
    with pytest.raises(racetiming.InvalidParameter):
        engine.ask(1, "How many finished?", context="not a dict")


def test_reads_with_keyword_filters_and_paging(engine):
    events = engine.events(1, name="Boston", limit=10)["data"]
    assert events and events[0]["event_name"] == "Boston Marathon"
    event = engine.get(1, "event", events[0]["event_id"])
    assert event["event_date"] == events[0]["event_date"]
    races = engine.races(1, event_id=events[0]["event_id"])["data"]
    assert races[0]["distance_m"] == 42195
    page = engine.results(1, race_id=races[0]["race_id"], limit=3)
    assert [r["overall_place"] for r in page["data"]] == [1, 2, 3]
    assert page["next_cursor"]
    after = engine.results(1, race_id=races[0]["race_id"], limit=3, cursor=page["next_cursor"])
    assert after["data"][0]["results_time_ms"] >= page["data"][-1]["results_time_ms"]
    fast = engine.results(1, race_id=races[0]["race_id"], status="finished", max_time="3:00:00", limit=1000)["data"]
    assert len(fast) == 73 and all(r["results_time_ms"] <= 3 * 3600 * 1000 for r in fast)
    assert len(engine.results(1, race_id=races[0]["race_id"], status="finished", max_time=3 * 3600 * 1000, limit=1000)["data"]) == 73
    dnf = engine.participants(1, race_id=races[0]["race_id"], status="dnf", limit=1000)["data"]
    assert len(dnf) == 47 and dnf[0]["age"] is None or isinstance(dnf[0]["age"], int)
    with pytest.raises(racetiming.InvalidParameter) as e:
        engine.results(1, limit=0)
    assert e.value.parameter == "limit"
    with pytest.raises(racetiming.InvalidParameter):
        engine.results(1, max_time="three hours")


def test_writes(engine):
    created = engine.create(1, "event", {"event_name": "Python 5K", "event_date": "2026-06-01"}, idempotency_key="py-1")
    again = engine.create(1, "event", {"event_name": "Python 5K", "event_date": "2026-06-01"}, idempotency_key="py-1")
    assert again["event_id"] == created["event_id"]
    updated = engine.update(1, "event", created["event_id"], {"city": "Albany"})
    assert updated["city"] == "Albany"
    engine.delete(1, "event", created["event_id"])
    with pytest.raises(racetiming.NotFound):
        engine.get(1, "event", created["event_id"])
    with pytest.raises(racetiming.InvalidParameter) as e:
        engine.create(1, "event", {"event_name": "No date"})
    assert e.value.parameter == "event_date"
    with pytest.raises(racetiming.InvalidParameter):
        engine.create(1, "spaceship", {})
    with pytest.raises(racetiming.InvalidParameter):
        engine.create(1, "event", {"event_name": ["a list"]})


def test_event_aliases(engine):
    alias = engine.add_event_alias(1, "the BRM", "Big River Marathon")
    assert [a["alias"] for a in engine.event_aliases(1)] == ["the BRM"]
    assert engine.ask(1, "How many finishers did the BRM have in 2023?", today=TODAY)["rows"]
    engine.remove_event_alias(1, alias["event_alias_id"])
    assert engine.event_aliases(1) == []


def test_bad_input_is_an_error_with_a_code_and_loses_nothing(engine, tmp_path):
    with pytest.raises(racetiming.InvalidParameter) as e:
        engine.import_csv(1, str(tmp_path / "missing.csv"))
    assert e.value.parameter == "path"
    bad = tmp_path / "bad.csv"
    bad.write_text("event_name,event_date,race_name,race_distance_m,bib,first_name,last_name,gender,age,status,chip_time\n"
                   "Py 10K,2026-06-01,10K,10000,1,Ann,Lee,F,34,finished,0:40:00\n"
                   "Py 10K,2026-06-01,10K,10000,2,Bob,Ray,Q,34,finished,0:41:00\n")
    before = len(engine.events(1, limit=1000)["data"])
    with pytest.raises(racetiming.InvalidInput) as e:
        engine.import_csv(1, str(bad))
    assert "line 3" in str(e.value)
    assert len(engine.events(1, limit=1000)["data"]) == before
    report = engine.import_csv(1, str(bad), on_error="skip")
    assert report["skipped"] == 1 and report["errors"][0]["line"] == 3
    with pytest.raises(racetiming.InvalidParameter):
        engine.import_csv(1, str(bad), on_error="retry")
    with pytest.raises(racetiming.NotFound) as e:
        engine.ask(99, "How many finished?")
    assert e.value.parameter == "partner"
    with pytest.raises(racetiming.NotFound):
        engine.import_text(99, bad.read_text())
    with pytest.raises(racetiming.InvalidParameter):
        racetiming.Engine("mysql://localhost/db")
    with pytest.raises(racetiming.Unavailable):
        racetiming.Engine("sqlite:" + str(tmp_path / "no" / "such" / "dir.db"))
    with pytest.raises(racetiming.Error):
        racetiming.Engine("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(racetiming.InvalidParameter) as replica:
        racetiming.Engine("sqlite:" + str(tmp_path / "main.db"), read_url="sqlite:" + str(tmp_path / "replica.db"))
    assert replica.value.parameter == "read_db"


def test_threads_overlap_with_the_gil_released(tmp_path):
    """A call waiting on the database does not hold the GIL: while one thread's write waits for a lock
    that another connection holds, the main thread runs Python, and only then lets the write through.
    Were the GIL held, the main thread could not release the lock and the write would time out."""
    path = tmp_path / "threads.db"
    e = racetiming.Engine("sqlite:" + str(path), pool_size=4)
    partner = e.add_partner("Thread Timing", "thread-timing")
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock
    outcome = {}

    def write():
        start = time.perf_counter()
        try:
            outcome["row"] = e.create(partner, "event", {"event_name": "Locked 5K", "event_date": "2026-07-04"})
        except racetiming.Error as err:
            outcome["error"] = err
        outcome["seconds"] = time.perf_counter() - start

    writer = threading.Thread(target=write)
    writer.start()
    python_work, until = 0, time.perf_counter() + 0.5
    while time.perf_counter() < until:  # pure Python: needs the GIL the whole time
        python_work += 1
    blocker.execute("COMMIT")
    writer.join()
    print(f"\nthe write waited {outcome['seconds'] * 1000:.0f} ms; meanwhile the main thread ran {python_work} Python loops")
    assert "error" not in outcome, outcome.get("error")
    assert outcome["row"]["event_name"] == "Locked 5K"
    assert outcome["seconds"] >= 0.5 and python_work > 1000


def test_threads_share_one_engine(engine):
    """Four threads asking at once through one Engine all get the right answer."""
    answers, errors = [], []

    def work():
        try:
            for _ in range(10):
                answers.append(engine.ask(1, "How many DNFs were there in the Boston Marathon?", today=TODAY)["rows"])
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(answers) == 40 and all(list(a[0].values()) == [47] for a in answers)


def test_threads_asking_at_once_overlap_on_postgresql(pg_url):
    """Several threads ask while another session holds a lock every question waits on (the partner's
    data version): all four questions are in flight at once, and the main thread runs Python meanwhile.
    Were the GIL held by a waiting call, the others could not even start until the lock went."""
    e = racetiming.Engine(pg_url, pool_size=4, answer_cache=0)
    partner = e.add_partner("Big River Race Management", "big-river")
    e.import_csv(partner, str(FIXTURES / "big-river.csv"))
    question = "How many DNFs were there in the Boston Marathon?"
    assert e.ask(partner, question, today=TODAY)["rows"] == [{"count": 47}]
    holder = subprocess.Popen(["psql", "-X", "-q", pg_url, "-c",
                               "BEGIN; LOCK TABLE data_versions IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(1.0); COMMIT;"],
                              stdout=subprocess.DEVNULL)
    time.sleep(0.3)  # the lock is taken
    spans, answers = [], []

    def ask():
        start = time.perf_counter()
        answers.append(e.ask(partner, question, today=TODAY)["rows"])
        spans.append((start, time.perf_counter()))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    python_work, until = 0, time.perf_counter() + 0.3
    while time.perf_counter() < until:
        python_work += 1
    for t in threads:
        t.join()
    holder.wait()
    in_flight = min(end for _, end in spans) - max(start for start, _ in spans)
    print(f"\n4 questions in flight together for {in_flight * 1000:.0f} ms; the main thread ran {python_work} Python loops")
    assert answers == [[{"count": 47}]] * 4
    assert in_flight > 0.2 and python_work > 1000


def test_audit_rows_and_their_chain(engine, tmp_path):
    # the module writes no audit rows itself (the daemon does); what is in the table is listed and checked
    assert engine.verify_audit() == {"rows": 0, "intact": True, "findings": []}
    assert engine.audit_entries(1) == []
    db = tmp_path / "audit.db"
    e = racetiming.Engine("sqlite:" + str(db))
    p = e.add_partner("Audited", "audited")
    with sqlite3.connect(db) as c:  # a row no writer chained: its hash is not its fields'
        c.execute("INSERT INTO audit_log (timing_partner_id, occurred_at, method, path, status, request_id, duration_ms,"
                  " client_address, prev_hash, hash) VALUES (?, '2026-12-05T01:00:00.000Z', 'GET', '/api/v1/events', 200,"
                  " 'r1', 1.5, '192.0.2.1', ?, ?)", (p, "0" * 64, "f" * 64))
    rows = e.audit_entries(p)
    assert [(r["method"], r["route"], r["status"], r["client_address"]) for r in rows] == [("GET", "/api/v1/events", 200, "192.0.2.1")]
    report = e.verify_audit(p)
    assert not report["intact"] and report["findings"][0]["problem"] == "edited"
    assert report["findings"][0]["audit_id"] == rows[0]["audit_id"]
    assert e.audit_entries(p, before_id=rows[0]["audit_id"]) == []  # nothing older
