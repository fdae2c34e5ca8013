"""A fake RunSignUp, ChronoTrack and Race Roster on loopback, for the sync tests.

One HTTP server answers all three providers' routes (/Rest/..., /api/..., /v2/api/...) from one set of
events held in a neutral shape, rendered into each provider's own JSON the way its public API documents
it (docs/integrations.md). Tests change the data between syncs (a renamed bib, a withdrawn runner, a
changed time), queue faults (a 429 with Retry-After, a 500, a slow answer) and read the request log.

Run as a script it serves the events of a JSON file (--data) until killed, printing its port: the test
that kills a sync half-way runs the sync in another process against it.
"""

import argparse
import calendar
import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Runner:
    bib: str
    first: str
    last: str
    gender: str  # M or F
    age: int
    chip: str = None  # "H:MM:SS", None for a runner without a finish
    gun: str = None
    status: str = "finished"  # finished, dnf, dns
    city: str = ""
    state: str = ""
    country: str = "US"
    team: str = ""
    entry_id: str = ""
    modified: int = 0  # Unix seconds: what "changed since" compares
    splits: list = field(default_factory=list)  # [name, metres, "H:MM:SS"]


@dataclass
class Race:
    id: str
    name: str
    distance_label: str
    distance_m: int
    runners: list = field(default_factory=list)


@dataclass
class Event:
    id: str
    name: str
    date: str  # YYYY-MM-DD
    city: str = ""
    state: str = ""
    country: str = "US"
    races: list = field(default_factory=list)


def seconds(hms):
    h, m, s = hms.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def short_time(hms):
    """RunSignUp writes times under an hour as M:SS (its results show "21:53.15")."""
    h, m, s = hms.split(":")
    return f"{int(m)}:{s}" if int(h) == 0 else hms


def epoch(date):
    """Noon UTC of the day: the same date wherever the event is."""
    return calendar.timegm(time.strptime(date + " 12:00", "%Y-%m-%d %H:%M"))


class Fault:
    def __init__(self, match, status=None, retry_after=None, delay=0.0, times=1, body=None):
        self.match, self.status, self.retry_after, self.delay, self.times, self.body = match, status, retry_after, delay, times, body


class FakeProvider:
    """The server and its state. Use as a context manager, or start()/stop()."""

    RSU_KEY, RSU_SECRET = "rsu-key-4471", "rsu-secret-SENTINEL-9c1f"
    CT_CLIENT, CT_USER, CT_PASSWORD = "ct-client-77", "timer@example.com", "ct-password-SENTINEL-51ab"
    RR_TOKEN = "rr-token-SENTINEL-0d3e"

    def __init__(self, events=None, require_auth=True):
        self.events = events or []
        self.require_auth = require_auth
        self.faults = []
        self.requests = []
        self.lock = threading.Lock()
        self.server = None

    # --- control -------------------------------------------------------------------------------------
    def fail(self, match, status, retry_after=None, times=1, body=None):
        """The next `times` requests whose path contains `match` answer `status`."""
        with self.lock:
            self.faults.append(Fault(match, status=status, retry_after=retry_after, times=times, body=body))

    def delay(self, match, seconds_, times=1):
        """The next `times` requests whose path contains `match` wait before answering."""
        with self.lock:
            self.faults.append(Fault(match, delay=seconds_, times=times))

    def requests_to(self, match):
        with self.lock:
            return [r for r in self.requests if match in r["path"]]

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    # --- serving ---------------------------------------------------------------------------------------
    def handle(self, h):
        parsed = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        with self.lock:
            self.requests.append({"path": parsed.path, "query": query, "headers": dict(h.headers)})
            fault = next((f for f in self.faults if f.match in parsed.path and f.times > 0), None)
            if fault:
                fault.times -= 1
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.status:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return self.reply(h, fault.status, fault.body or {"message": "fault"}, headers)
        try:
            status, body, headers = self.route(parsed.path, query, h.headers)
        except KeyError:
            status, body, headers = 404, {"message": "not found"}, {}
        self.reply(h, status, body, headers)

    @staticmethod
    def reply(h, status, body, headers=None):
        data = json.dumps(body).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def route(self, path, q, headers):
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["Rest"]:
            return self.runsignup(parts[1:], q, headers)
        if parts[:1] == ["api"]:
            return self.chronotrack(parts[1:], q, headers)
        if parts[:2] == ["v2", "api"]:
            return self.raceroster(parts[2:], q, headers)
        raise KeyError(path)

    def event(self, event_id):
        return next(e for e in self.events if e.id == event_id)

    def race(self, race_id):
        return next(r for e in self.events for r in e.races if r.id == race_id)

    @staticmethod
    def changed(runners, since):
        return [r for r in runners if since is None or r.modified > int(since)]

    # RunSignUp: errors as HTTP 200 with {"error": {...}}; paging by page and results_per_page
    def runsignup(self, parts, q, headers):
        bearer = headers.get("Authorization") == "Bearer " + self.RSU_SECRET
        if self.require_auth and not bearer and (q.get("api_key") != self.RSU_KEY or q.get("api_secret") != self.RSU_SECRET):
            return 200, {"error": {"error_code": 6, "error_msg": "Key authentication failed"}}, {}
        if q.get("format") != "json":
            return 200, "<xml/>", {}
        if parts == ["races"]:
            page, size = int(q.get("page", 1)), int(q.get("results_per_page", 50))
            chunk = self.events[(page - 1) * size: page * size]
            return 200, {"races": [{"race": {"race_id": int(e.id), "name": e.name}} for e in chunk]}, {}
        if len(parts) == 2 and parts[0] == "race":
            e = self.event(parts[1])
            m, d, y = e.date[5:7], e.date[8:10], e.date[:4]
            return 200, {"race": {
                "race_id": int(e.id), "name": e.name, "last_date": f"{m}/{d}/{y}", "next_date": None,
                "address": {"street": "1 Main St", "city": e.city, "state": e.state, "zipcode": "00000", "country_code": e.country},
                "events": [{"event_id": int(r.id), "race_event_days_id": 1, "name": r.name,
                            "start_time": f"{int(m)}/{int(d)}/{y} 08:00", "end_time": None, "event_type": "running_race",
                            "distance": r.distance_label} for r in e.races]}}, {}
        if len(parts) == 4 and parts[0] == "race" and parts[2:] == ["results", "get-results"]:
            race = self.race(q["event_id"])
            page, size = int(q.get("page", 1)), int(q.get("results_per_page", 50))
            rows = self.changed(race.runners, q.get("modified_after_timestamp"))[(page - 1) * size: page * size]

            def row(r):
                mark = {"dnf": "DNF", "dns": "DNS"}.get(r.status)
                return {"result_id": 900000 + int(r.entry_id or 0), "registration_id": int(r.entry_id) if r.entry_id else None,
                        "place": None, "bib": int(r.bib) if r.bib.isdigit() else r.bib, "first_name": r.first,
                        "last_name": r.last, "gender": r.gender, "city": r.city or None, "state": r.state or None,
                        "country_code": r.country, "clock_time": mark or short_time(r.gun or r.chip),
                        "chip_time": mark or (short_time(r.chip) if r.chip else ""), "pace": "", "age": r.age,
                        "age_percentage": "", "custom-field-649069": r.team or None}
            return 200, {"individual_results_sets": [{
                "individual_result_set_id": 691649, "individual_result_set_name": "Overall", "public_results": "T",
                "results_headers": {"result_id": "Result Id", "place": "Place", "bib": "Bib", "first_name": "First Name",
                                    "last_name": "Last Name", "gender": "Gender", "city": "City", "state": "State",
                                    "country_code": "Country", "clock_time": "Clock Time", "chip_time": "Chip Time",
                                    "pace": "Pace", "age": "Age", "custom-field-649069": "Team Name"},
                "results": [row(r) for r in rows]}]}, {}
        raise KeyError("/".join(parts))

    # ChronoTrack: numbers as strings, a row per entry and timing point, X-Ctlive-* page counts
    def chronotrack(self, parts, q, headers):
        password = hashlib.sha1(self.CT_PASSWORD.encode()).hexdigest()
        if self.require_auth and (q.get("client_id"), q.get("user_id"), q.get("user_pass")) != (self.CT_CLIENT, self.CT_USER, password):
            return 401, {"error": "unauthorized"}, {}
        if parts == ["event"]:
            return 200, {"event": [{"event_id": e.id, "event_name": e.name} for e in self.events]}, {}
        if len(parts) == 2 and parts[0] == "event":
            e = self.event(parts[1])
            return 200, {"event": {"event_id": e.id, "event_name": e.name, "event_start_time": str(epoch(e.date)),
                                   "location_city": e.city, "location_state": e.state, "location_country": e.country}}, {}
        if len(parts) == 3 and parts[0] == "event" and parts[2] == "race":
            e = self.event(parts[1])
            return 200, {"event_race": [{"race_id": r.id, "race_name": r.name, "race_tag": r.distance_label,
                                         "race_course_distance": str(r.distance_m), "race_pref_distance_unit": "meters"}
                                        for r in e.races]}, {}
        if len(parts) == 3 and parts[0] == "race" and parts[2] == "interval":
            race = self.race(parts[1])
            names = {}
            for r in race.runners:
                for name, metres, _ in r.splits:
                    names[name] = metres
            return 200, {"race_interval": [{"interval_name": n, "interval_distance": str(m)} for n, m in names.items()]
                         + [{"interval_name": "Full Course", "interval_distance": str(race.distance_m)}]}, {}
        if len(parts) == 3 and parts[0] == "race" and parts[2] == "results":
            race = self.race(parts[1])
            rows = []
            for r in self.changed(race.runners, q.get("modified_after")):
                base = {"results_bib": r.bib, "results_first_name": r.first, "results_last_name": r.last,
                        "results_sex": r.gender, "results_age": str(r.age), "results_hometown": r.city,
                        "results_state_code": r.state, "results_country_code": r.country,
                        "results_entry_id": r.entry_id, "results_race_id": race.id, "results_bracket_name": "OPEN"}
                for name, _, t in r.splits:
                    rows.append({**base, "results_interval_name": name, "results_time": "0" + t if len(t) == 7 else t,
                                 "results_gun_time": ""})
                if r.chip and r.status == "finished":
                    rows.append({**base, "results_interval_name": "Full Course",
                                 "results_time": "0" + r.chip if len(r.chip) == 7 else r.chip,
                                 "results_gun_time": r.gun or ""})
            page, size = int(q.get("page", 1)), int(q.get("size", 100))
            pages = max(1, -(-len(rows) // size))
            chunk = rows[(page - 1) * size: page * size]
            return 200, {"race_results": chunk}, {"X-Ctlive-Row-Count": str(len(rows)), "X-Ctlive-Page-Count": str(pages),
                                                  "X-Ctlive-Page-Size": str(size), "X-Ctlive-Current-Page": str(page)}
        raise KeyError("/".join(parts))

    # Race Roster: sub-events of an event known by its code; start and limit paging
    def raceroster(self, parts, q, headers):
        if self.require_auth and headers.get("Authorization") != "Bearer " + self.RR_TOKEN:
            return 401, {"message": "Unauthenticated."}, {}
        if len(parts) == 2 and parts[0] == "events":
            e = self.event(parts[1])
            return 200, {"data": {"event": {
                "resultEventId": int(e.id) + 5000, "uniqueCode": e.id, "name": e.name, "startDate": e.date + "T08:00:00-05:00",
                "city": e.city, "provState": e.state, "country": e.country,
                "subEvents": [{"id": int(r.id), "resultSubEventId": int(r.id), "name": r.name, "distanceLabel": r.distance_label,
                               "distanceMeters": r.distance_m, "resultCount": len(r.runners), "isPublic": True}
                              for r in e.races]}}}, {}
        if len(parts) == 5 and parts[0] == "result-events" and parts[2] == "sub-events" and parts[4] == "results":
            race = self.race(parts[3])
            start, limit = int(q.get("start", 0)), int(q.get("limit", 250))
            rows = race.runners[start: start + limit]
            status = {"finished": "COMPLETE", "dnf": "DNF", "dns": "DNS"}
            return 200, {"data": [{
                "id": int(r.entry_id or 0), "resultId": int(r.entry_id or 0), "bib": r.bib, "firstName": r.first,
                "lastName": r.last, "name": f"{r.first} {r.last}", "gender": {"M": "Male", "F": "Female"}.get(r.gender, "X"),
                "age": r.age, "overallPlace": "", "genderPlace": "", "gunTime": r.gun or (r.chip if r.status == "finished" else None),
                "chipTime": r.chip if r.status == "finished" else None, "raceStatus": status.get(r.status, r.status),
                "fromCity": r.city, "fromProvState": r.state, "fromCountry": r.country, "teamName": r.team or None}
                for r in rows]}, {}
        raise KeyError("/".join(parts))


def sample_events(runners_per_race=14, modified=1_700_000_000):
    """Two events, three races; runners with teams, splits, a DNF and a DNS, entries numbered."""
    import random
    rnd = random.Random(7)
    firsts = ["Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea", "Max", "Nia", "Oto", "Pia"]
    lasts = ["Adams", "Brook", "Chen", "Diaz", "Evans", "Fox", "Gray", "Hill", "Ito", "Jones", "Khan", "Lund"]
    entry = [1000]

    def race(race_id, name, label, metres, base_seconds):
        runners = []
        for i in range(runners_per_race):
            entry[0] += 1
            gender = "MF"[i % 2]
            t = base_seconds + rnd.randint(0, base_seconds // 2)
            chip = f"{t // 3600}:{t // 60 % 60:02}:{t % 60:02}"
            gun_t = t + rnd.randint(0, 40)
            gun = f"{gun_t // 3600}:{gun_t // 60 % 60:02}:{gun_t % 60:02}"
            half = t // 2
            splits = [["HALFWAY", metres // 2, f"{half // 3600}:{half // 60 % 60:02}:{half % 60:02}"]]
            status = "dnf" if i == runners_per_race - 2 else "dns" if i == runners_per_race - 1 else "finished"
            runners.append(Runner(
                bib=str(100 + i + int(race_id) % 100 * 100), first=rnd.choice(firsts), last=rnd.choice(lasts), gender=gender,
                age=rnd.randint(16, 71), chip=chip if status == "finished" else None, gun=gun if status == "finished" else None,
                status=status, city="Springfield", state="IL", team="Harriers" if i % 3 == 0 else "",
                entry_id=str(entry[0]), modified=modified, splits=splits if status != "dns" else []))
        return Race(race_id, name, label, metres, runners)

    return [
        Event("4101", "Riverbend Half Marathon", "2025-05-18", "Springfield", "IL", "US",
              [race("7001", "Half Marathon", "Half Marathon", 21098, 5400), race("7002", "5K", "5K", 5000, 1200)]),
        Event("4102", "Lakeside 10K", "2025-06-22", "Shelbyville", "IL", "US",
              [race("7003", "10K", "10 km", 10000, 2400)]),
    ]


def events_to_json(events):
    return json.dumps([asdict(e) for e in events])


def events_from_json(text):
    out = []
    for e in json.loads(text):
        races = [Race(**{**r, "runners": [Runner(**x) for x in r["runners"]]}) for r in e.pop("races")]
        out.append(Event(**e, races=races))
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="events as events_to_json writes them")
    parser.add_argument("--hang", default="", help="requests whose path contains this never answer")
    args = parser.parse_args()
    with open(args.data) as f:
        fake = FakeProvider(events_from_json(f.read()))
    if args.hang:
        fake.delay(args.hang, 3600, times=1000)
    fake.start()
    print(fake.server.server_address[1], flush=True)
    threading.Event().wait()
