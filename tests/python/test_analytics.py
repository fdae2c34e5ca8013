"""Analytics and reports (issue 14) on the shared fixtures and on hand-made races, through the Python
module: every expected value is computed here, from the CSV rows and the reference tables, by code of
its own (never the library's), and SQLite and PostgreSQL must give the same answers."""

import csv
import math
import os
import pathlib

import pytest

import racetiming

SHARED = pathlib.Path(os.environ.get("RACETIMING_SHARED_DIR", pathlib.Path(__file__).resolve().parents[3] / "shared"))
FIXTURES = SHARED / "fixtures"

HEADER = ("event_name,event_date,event_city,event_state,event_country,race_name,race_distance_m,bib,first_name,"
          "last_name,gender,age,city,state,country,team,status,chip_time,gun_time,splits")

# Hand-made races whose answers are worked out by hand below.
#  Tie Town 5K: two women tie for first; a man aged 72 is alone in M70-74; gun times reverse two men.
#  Check Marathon: Boston boundaries (exactly on the standard, a tenth over, X on the women's standard,
#  under 18 with no standard), and a woman of 60 running 3:30:00.
HAND_MADE = HEADER + """
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,1,Ann,Able,F,30,,,,,finished,0:20:00,0:20:30,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,2,Bea,Best,F,31,,,,,finished,0:20:00,0:20:10,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,3,Cat,Cole,F,33,,,,,finished,0:21:00,0:21:05,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,4,Dee,Dunn,F,44,,,,,finished,0:22:00,0:22:01,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,5,Eve,East,F,42,,,,,finished,0:23:00,0:23:01,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,6,Fay,Fox,F,32,,,,,finished,0:24:00,0:24:01,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,7,Gus,Gray,M,45,,,,,finished,0:20:00,0:21:30,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,8,Hal,Hunt,M,46,,,,,finished,0:20:30,0:20:35,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,9,Ian,Irwin,M,72,,,,,finished,0:30:00,0:30:10,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,10,Jon,Jay,M,47,,,,,finished,0:21:00,0:21:02,
Tie Town 5K,2024-06-01,Kingston,NY,US,5K,5000,11,Kit,King,M,25,,,,,dnf,,,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,1,Al,On,M,30,,,,,finished,2:55:00,2:55:30,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,2,Bo,Over,M,30,,,,,finished,2:55:00.1,2:55:30,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,3,Cy,Exact,F,45,,,,,finished,3:45:00,3:45:10,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,4,Di,Nb,X,40,,,,,finished,3:35:00,3:35:10,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,5,Ed,Young,M,17,,,,,finished,2:30:00,2:30:10,
Check Marathon,2024-09-01,Boston,MA,US,Marathon,42195,6,Flo,Sixty,F,60,,,,,finished,3:30:00,3:30:20,
Check 5K,2024-09-02,Boston,MA,US,5K,5000,1,Gil,Fortyfive,M,45,,,,,finished,0:20:00,0:20:05,
"""


def ms(text):
    """H:MM:SS[.f] as milliseconds, by hand."""
    h, m, s = text.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def half_up(x):
    return math.floor(x + 0.5)


def percentile(values, fraction):
    """Linear interpolation between the two nearest ranks (R-7: position fraction * (n - 1))."""
    v = sorted(values)
    pos = fraction * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def fixture_rows(name):
    with open(FIXTURES / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def finishers_of(rows, event, race, date=None):
    return [r for r in rows if r["event_name"] == event and r["race_name"] == race and r["status"] == "finished"
            and (date is None or r["event_date"] == date)]


def load(engine):
    assert engine.add_partner("Big River Race Management", "big-river") == 1
    assert engine.add_partner("Mid-Hudson Road Runners", "mid-hudson") == 2
    assert engine.add_partner("Hand Checked Timing", "hand-checked") == 3
    engine.import_csv(1, str(FIXTURES / "big-river.csv"))
    engine.import_csv(2, str(FIXTURES / "mid-hudson.csv"))
    report = engine.import_text(3, HAND_MADE)
    assert report["errors"] == []
    return engine


@pytest.fixture(scope="module")
def engines(tmp_path_factory, pg_url):
    return {"sqlite": load(racetiming.Engine("sqlite:" + str(tmp_path_factory.mktemp("an") / "rt.db"))),
            "postgresql": load(racetiming.Engine(pg_url))}


@pytest.fixture(scope="module")
def e(engines):
    return engines["sqlite"]


# Both databases: PostgreSQL finds a chip-placed race's award winners by probing indexes, SQLite by
# ranking every finisher, and each must follow the rule.
@pytest.fixture(params=["sqlite", "postgresql"])
def each(request, engines):
    return engines[request.param]


def race_id(engine, partner, event_name, race_name, year=None):
    for event in engine.events(partner, name=event_name, year=year, limit=100)["data"]:
        if event["event_name"] != event_name:
            continue
        for race in engine.races(partner, event_id=event["event_id"])["data"]:
            if race["race_name"] == race_name:
                return race["race_id"]
    raise AssertionError(f"no race {event_name} {race_name}")


# ---- performance -------------------------------------------------------------------------------------

def test_performance_percentiles_and_histogram(each):
    e = each
    rows = finishers_of(fixture_rows("big-river.csv"), "Boston Marathon", "Marathon")
    times = [ms(r["chip_time"]) for r in rows]
    report = e.performance(1, race_id=race_id(e, 1, "Boston Marathon", "Marathon"))
    overall = report["overall"][0]
    assert overall["finishers"] == len(times)
    assert overall["min_time_ms"] == min(times) and overall["max_time_ms"] == max(times)
    assert overall["mean_time_ms"] == half_up(sum(times) / len(times))
    for name, fraction in [("p10", 0.1), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9)]:
        assert overall[f"{name}_time_ms"] == half_up(percentile(times, fraction)), name
    assert overall["median_pace_ms_per_km"] == half_up(overall["median_time_ms"] * 1000 / 42195)
    for gender in "FMX":
        mine = [ms(r["chip_time"]) for r in rows if r["gender"] == gender]
        row = next(g for g in report["by_gender"] if g["gender"] == gender)
        assert row["finishers"] == len(mine)
        assert row["median_time_ms"] == half_up(percentile(mine, 0.5))
    # divisions: each one's count and 90th percentile
    by_division = {d["division"]: d for d in report["by_division"]}
    divisions = {}
    for r in rows:
        divisions.setdefault(r["gender"] + division_band(int(r["age"])), []).append(ms(r["chip_time"]))
    assert set(by_division) == set(divisions)
    for label, mine in divisions.items():
        assert by_division[label]["finishers"] == len(mine)
        assert by_division[label]["p90_time_ms"] == half_up(percentile(mine, 0.9)), label
    # 5-minute bins for a marathon, every bin from the fastest to the slowest, counts summing to finishers
    bins = report["histogram"]
    assert sum(b["finishers"] for b in bins) == len(times)
    assert all(b["to_time_ms"] - b["from_time_ms"] == 300000 for b in bins)
    assert bins[0]["from_time_ms"] <= min(times) < bins[0]["to_time_ms"]
    assert bins[-1]["from_time_ms"] <= max(times) < bins[-1]["to_time_ms"]
    for b in bins:
        assert b["finishers"] == sum(1 for t in times if b["from_time_ms"] <= t < b["to_time_ms"])


def division_band(age):
    if age < 15:
        return "01-14"
    if age >= 80:
        return "80+"
    low = age // 5 * 5
    return f"{low}-{low + 4}"


def test_performance_of_an_event_covers_each_race_with_its_bins(each):
    e = each
    events = [ev for ev in e.events(1, name="Big River Marathon", limit=10)["data"] if ev["event_date"] == "2024-10-13"]
    report = e.performance(1, event_id=events[0]["event_id"])
    assert [r["race_name"] for r in report["races"]] == ["Marathon", "Half Marathon", "5K"]
    rows = fixture_rows("big-river.csv")
    for race in report["races"]:
        times = [ms(r["chip_time"]) for r in finishers_of(rows, "Big River Marathon", race["race_name"], "2024-10-13")]
        bins = [b for b in report["histogram"] if b["race_id"] == race["race_id"]]
        assert sum(b["finishers"] for b in bins) == len(times)
        width = 60000 if race["distance_m"] <= 10000 else 300000
        assert {b["to_time_ms"] - b["from_time_ms"] for b in bins} == {width}


# ---- age grades --------------------------------------------------------------------------------------

def age_table():
    table = {}
    with open(SHARED / "data" / "age-grade-2025.csv", newline="") as f:
        for r in csv.DictReader(f):
            table[(r["gender"], r["event"], int(r["age"]))] = (float(r["open_standard_s"]), float(r["factor"]))
    return table


def test_age_grades_by_hand(e):
    # a woman of 60 running 3:30:00 in a marathon: 7796 s / 0.7965 = 9787.82 s, / 12600 s = 77.68%,
    # and 12600 s * 0.7965 = 10035.9 s = 2:47:15.9 age-graded
    marathon = e.finishers(3, race_id(e, 3, "Check Marathon", "Marathon"))["finishers"]
    flo = next(r for r in marathon if r["name"] == "Flo Sixty")
    assert (flo["age_grade"], flo["age_graded_time_ms"]) == (77.68, 10035900)
    # a man of 45 running 20:00 in a 5K: 769 / 0.9125 = 842.74 s, / 1200 s = 70.23%; 1200 * 0.9125 = 18:15
    gil = e.finishers(3, race_id(e, 3, "Check 5K", "5K"))["finishers"][0]
    assert (gil["age_grade"], gil["age_graded_time_ms"]) == (70.23, 1095000)
    # result rows carry the same grades
    rows = e.results(3, race_id=race_id(e, 3, "Check Marathon", "Marathon"))["data"]
    row = next(r for r in rows if r["first_name"] == "Flo")
    assert (row["age_grade"], row["age_graded_time_ms"]) == (77.68, 10035900)
    # the table's own numbers for every finisher of a fixture race
    table = age_table()
    boston = e.finishers(1, race_id(e, 1, "Boston Marathon", "Marathon"))["finishers"]
    for r in boston[:200]:
        gender = "F" if r["gender"] in "FX" else "M"
        open_s, factor = table[(gender, "Marathon", r["age"])]
        assert r["age_grade"] == pytest.approx(100 * open_s / factor / (r["chip_time_ms"] / 1000), abs=0.0051)
        assert abs(r["age_graded_time_ms"] - r["chip_time_ms"] * factor) <= 0.5 + 1e-6


def test_mean_and_best_age_grade(each):
    e = each
    report = e.performance(3, race_id=race_id(e, 3, "Check Marathon", "Marathon"))
    finishers = e.finishers(3, race_id(e, 3, "Check Marathon", "Marathon"))["finishers"]
    grades = [100 * (open_s / factor) / (f["chip_time_ms"] / 1000)
              for f in finishers
              for open_s, factor in [age_table()[("F" if f["gender"] in "FX" else "M", "Marathon", f["age"])]]]
    assert report["overall"][0]["best_age_grade"] == pytest.approx(max(grades), abs=0.006)
    assert report["overall"][0]["mean_age_grade"] == pytest.approx(sum(grades) / len(grades), abs=0.006)


# ---- Boston qualifiers -------------------------------------------------------------------------------

def test_boston_qualifiers_at_the_boundary(e):
    report = e.boston_qualifiers(3, race_id(e, 3, "Check Marathon", "Marathon"))
    got = {r["name"]: r["margin_time_ms"] for r in report["qualifiers"]}
    # exactly on the standard qualifies (margin 0); a tenth over does not; X reads the women's standard;
    # under 18 there is no standard
    assert got == {"Al On": 0, "Cy Exact": 0, "Di Nb": 0, "Flo Sixty": ms("4:20:00") - ms("3:30:00")}
    assert [r["name"] for r in report["qualifiers"]][0] == "Al On"  # fastest first
    assert e.boston_qualifiers(3, race_id(e, 3, "Check 5K", "5K"))["qualifiers"] == []  # not a marathon


def test_boston_qualifiers_of_a_fixture_race(e):
    standards = []
    with open(SHARED / "data" / "boston-qualifying-2026.csv", newline="") as f:
        for r in csv.DictReader(f):
            standards.append((r["gender"], int(r["age_min"]), int(r["age_max"]), ms(r["standard"])))
    rows = finishers_of(fixture_rows("big-river.csv"), "Boston Marathon", "Marathon")
    expected = {}
    for r in rows:
        for g, lo, hi, std in standards:
            if g == r["gender"] and lo <= int(r["age"]) <= hi and ms(r["chip_time"]) <= std:
                expected[r["bib"]] = std - ms(r["chip_time"])
    report = e.boston_qualifiers(1, race_id(e, 1, "Boston Marathon", "Marathon"))
    assert {r["bib"]: r["margin_time_ms"] for r in report["qualifiers"]} == expected
    assert expected  # the fixture has qualifiers


# ---- awards ------------------------------------------------------------------------------------------

def competition_ranks(members):
    """(member, rank) with equal times sharing a rank and the next rank skipped (1, 1, 3)."""
    out, previous = [], None
    for i, m in enumerate(sorted(members, key=lambda m: m["t"])):
        rank = out[-1][1] if previous is not None and m["t"] == previous else i + 1
        out.append((m, rank))
        previous = m["t"]
    return out


def expected_awards(finishers, overall, masters, division, double):
    awards, won = [], set()
    for gender in sorted({f["gender"] for f in finishers}):
        for m, rank in competition_ranks([f for f in finishers if f["gender"] == gender]):
            if rank <= overall:
                awards.append(("overall", gender, rank, m["bib"]))
                won.add(m["bib"])
    after_overall = set(won)
    if masters:
        for gender in sorted({f["gender"] for f in finishers}):
            eligible = [f for f in finishers if f["gender"] == gender and f["age"] >= 40 and (double or f["bib"] not in after_overall)]
            for m, rank in competition_ranks(eligible):
                if rank <= masters:
                    awards.append(("masters", gender, rank, m["bib"]))
                    won.add(m["bib"])
    for label in sorted({f["division"] for f in finishers}):
        eligible = [f for f in finishers if f["division"] == label and (double or f["bib"] not in won)]
        for m, rank in competition_ranks(eligible):
            if rank <= division:
                awards.append(("division", label, rank, m["bib"]))
    count = {}
    for a in awards:
        count[a[:3]] = count.get(a[:3], 0) + 1
    return sorted((c, g, r, bib, count[(c, g, r)] > 1) for c, g, r, bib in awards)


def got_awards(report):
    return sorted((a["category"], a["gender"] if a["category"] != "division" else a["division"], a["place"], a["bib"], a["tie"])
                  for a in report["awards"])


def fixture_finishers(name, event, race, date=None):
    return [{"bib": r["bib"], "gender": r["gender"], "age": int(r["age"]), "division": r["gender"] + division_band(int(r["age"])),
             "t": ms(r["chip_time"])} for r in finishers_of(fixture_rows(name), event, race, date)]


@pytest.mark.parametrize("overall,masters,division,double", [(3, 0, 3, False), (3, 1, 3, False), (3, 2, 2, True), (0, 0, 1, False)])
def test_awards_match_the_rule_on_a_fixture_race(each, overall, masters, division, double):
    rid = race_id(each, 1, "Boston Marathon", "Marathon")
    report = each.awards(1, rid, overall=overall, masters=masters, division=division, double_awards=double)
    assert got_awards(report) == expected_awards(fixture_finishers("big-river.csv", "Boston Marathon", "Marathon"),
                                                 overall, masters, division, double)


def test_awards_ties_masters_and_a_lone_division(each):
    rid = race_id(each, 3, "Tie Town 5K", "5K")
    report = each.awards(3, rid, overall=2, masters=1, division=1)
    by = {(a["category"], a["award"], a["place"], a["bib"]): a["tie"] for a in report["awards"]}
    # Ann and Bea tie for first; the next woman is 3rd (no 2nd), outside the top 2
    assert by[("overall", "Overall Female", 1, "1")] is True and by[("overall", "Overall Female", 1, "2")] is True
    assert not any(k[1] == "Overall Female" and k[2] > 1 for k in by)
    # Gus (45) and Hal (46) win overall, so the men's masters award moves to Jon (47), and M45-49 has no
    # one left to award
    assert ("overall", "Overall Male", 1, "7") in by and ("overall", "Overall Male", 2, "8") in by
    assert ("masters", "Masters Male", 1, "10") in by
    assert not any(k[1] == "M45-49" for k in by)
    # Dee (44) is the first masters woman; Eve (42) then wins F40-44
    assert ("masters", "Masters Female", 1, "4") in by and ("division", "F40-44", 1, "5") in by
    # Ian is alone in M70-74 and wins it
    assert ("division", "M70-74", 1, "9") in by
    # one award per gender: the tie for first still gives two
    one = each.awards(3, rid, overall=1, masters=0, division=0)
    women = [a for a in one["awards"] if a["award"] == "Overall Female"]
    assert sorted(a["bib"] for a in women) == ["1", "2"] and all(a["tie"] and a["place"] == 1 for a in women)
    # with double awards, Gus also wins masters and M45-49
    double = each.awards(3, rid, overall=2, masters=1, division=1, double_awards=True)
    bibs = {(a["category"], a["bib"]) for a in double["awards"]}
    assert {("overall", "7"), ("masters", "7"), ("division", "7")} <= bibs


def test_awards_by_a_races_own_division_bands(each):
    rid = race_id(each, 1, "Boston Marathon", "Marathon")
    bands = [(1, 29, "01-29"), (30, 49, "30-49"), (50, None, "50+")]

    def band(age):
        return next(label for lo, hi, label in bands if age >= lo and (hi is None or age <= hi))
    finishers = [dict(f, division=f["gender"] + band(f["age"])) for f in fixture_finishers("big-river.csv", "Boston Marathon", "Marathon")]
    report = each.awards(1, rid, overall=3, masters=1, division=2, division_bands="1-29,30-49,50+")
    assert got_awards(report) == expected_awards(finishers, 3, 1, 2, False)
    assert {a["division"] for a in report["awards"] if a["category"] == "division"} == {g + b for g in "FMX" for *_, b in bands}
    for bad in ("", "20-10", "1-29,20-49", "50+,60+", "1-29,x", "0-19"):
        if bad == "":
            continue  # empty: the entries' own divisions
        with pytest.raises(racetiming.InvalidParameter) as err:
            each.awards(1, rid, division_bands=bad)
        assert err.value.parameter == "division_bands", bad


def test_awards_by_gun_time_when_the_race_places_by_gun(each):
    rid = race_id(each, 3, "Tie Town 5K", "5K")
    by_chip = each.awards(3, rid, overall=2, masters=0, division=0)  # computed, and kept by the report cache
    assert [a["bib"] for a in by_chip["awards"] if a["award"] == "Overall Male"] == ["7", "8"]
    each.update(3, "race", rid, {"placement_basis": "gun"})  # a write: the kept answer is not served again
    try:
        report = each.awards(3, rid, overall=2, masters=0, division=0)
        men = [(a["place"], a["bib"]) for a in report["awards"] if a["award"] == "Overall Male"]
        women = [(a["place"], a["bib"]) for a in report["awards"] if a["award"] == "Overall Female"]
        # by gun: Hal 20:35, Jon 21:02 (Gus's 21:30 is third); Bea 20:10, Ann 20:30 (no tie now)
        assert men == [(1, "8"), (2, "10")] and women == [(1, "2"), (2, "1")]
        assert all(a["tie"] is False for a in report["awards"])
        assert [a["time_ms"] for a in report["awards"] if a["award"] == "Overall Male"] == [ms("0:20:35"), ms("0:21:02")]
    finally:
        each.update(3, "race", rid, {"placement_basis": "chip"})


# ---- demographics and trends ---------------------------------------------------------------------------

def test_demographics_of_a_race(e):
    rows = [r for r in fixture_rows("big-river.csv") if r["event_name"] == "Boston Marathon"]
    report = e.demographics(1, race_id=race_id(e, 1, "Boston Marathon", "Marathon"))
    total = report["totals"][0]
    started = [r for r in rows if r["status"] in ("finished", "dnf", "dq")]
    finished = [r for r in rows if r["status"] == "finished"]
    assert (total["entries"], total["starters"], total["finishers"]) == (len(rows), len(started), len(finished))
    assert total["finish_rate"] == round(100 * len(finished) / len(started), 1)
    by_gender = {g["value"]: g for g in report["by_gender"]}
    for gender in "FMX":
        assert by_gender[gender]["entries"] == sum(1 for r in rows if r["gender"] == gender)
        assert by_gender[gender]["finishers"] == sum(1 for r in finished if r["gender"] == gender)
    bands = {b["value"]: b["entries"] for b in report["by_age_band"]}
    def band(age):
        return "under 20" if age < 20 else "70+" if age >= 70 else f"{age // 10 * 10}-{age // 10 * 10 + 9}"
    expected = {}
    for r in rows:
        expected[band(int(r["age"]))] = expected.get(band(int(r["age"])), 0) + 1
    assert bands == expected
    teams = {t["value"]: t["entries"] for t in report["by_team"]}
    for r in rows:
        assert (r["team"] or None) in teams
    assert sum(teams.values()) == len(rows)
    assert report["by_state"][0]["entries"] >= report["by_state"][-1]["entries"]  # largest first


def test_trends_per_edition_and_per_year(e):
    rows = fixture_rows("big-river.csv")
    report = e.trends(1, event_name="big river marathon")
    editions = report["editions"]
    assert [x["year"] for x in editions] == [2022, 2023, 2024]
    assert [r["race_name"] for r in report["races"]] == ["Marathon"] * 3  # the race the name names
    for x in editions:
        date = x["event_date"]
        field = [r for r in rows if r["event_name"] == "Big River Marathon" and r["event_date"] == date and r["race_name"] == "Marathon"]
        done = [ms(r["chip_time"]) for r in field if r["status"] == "finished"]
        assert x["entries"] == len(field) and x["finishers"] == len(done)
        assert x["median_time_ms"] == half_up(percentile(done, 0.5))
        assert x["women_percent"] == round(100 * sum(1 for r in field if r["gender"] == "F") / len(field), 1)
        assert x["masters_percent"] == round(100 * sum(1 for r in field if int(r["age"]) >= 40) / len(field), 1)
    halves = e.trends(1, event_name="Big River Marathon", distance_m=21098)
    assert [r["race_name"] for r in halves["races"]] == ["Half Marathon"] * 3
    years = e.trends(1, year_from=2023, year_to=2024)["years"]
    assert [y["year"] for y in years] == [2023, 2024]
    for y in years:
        field = [r for r in rows if r["event_date"].startswith(str(y["year"]))]
        assert y["entries"] == len(field)
        assert y["events"] == len({(r["event_name"], r["event_date"]) for r in field})
        assert y["median_time_ms"] is None  # no distance given: times of different races are not mixed
    marathons = e.trends(1, year_from=2024, year_to=2024, distance_m=42195)["years"][0]
    done = [ms(r["chip_time"]) for r in rows if r["event_date"].startswith("2024") and r["race_distance_m"] == "42195" and r["status"] == "finished"]
    assert marathons["median_time_ms"] == half_up(percentile(done, 0.5))


# ---- the same answers on both databases ----------------------------------------------------------------

def every_answer(engine):
    out = []
    for partner, event, race in [(1, "Boston Marathon", "Marathon"), (2, "Hudson Valley Half", "Half Marathon"), (3, "Tie Town 5K", "5K")]:
        rid = race_id(engine, partner, event, race, 2024)
        out.append(engine.performance(partner, race_id=rid))
        out.append(engine.demographics(partner, race_id=rid))
        out.append(engine.finishers(partner, rid))
        out.append(engine.awards(partner, rid, masters=1))
        out.append(engine.boston_qualifiers(partner, rid))
    # every race of one event: each race's age standards at its own distance
    events = [ev for ev in engine.events(1, name="Big River Marathon", limit=10)["data"] if ev["event_date"] == "2024-10-13"]
    out.append(engine.performance(1, event_id=events[0]["event_id"]))
    out.append(engine.trends(1, event_name="Big River Marathon"))
    out.append(engine.trends(2, year_from=2023, distance_m=21098))
    out.append(engine.demographics(2, year=2024))
    return out


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in ("participant_id",)}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def test_sqlite_and_postgresql_give_the_same_answers(engines):
    assert without_ids(every_answer(engines["sqlite"])) == without_ids(every_answer(engines["postgresql"]))


# ---- bad input -----------------------------------------------------------------------------------------

def test_bad_input_is_a_clear_error(e):
    other = race_id(e, 2, "Turkey Trot 5K", "5K")
    for call in (lambda: e.finishers(1, other), lambda: e.awards(1, other), lambda: e.performance(1, race_id=other),
                 lambda: e.boston_qualifiers(1, 999999), lambda: e.demographics(1, event_id=999999)):
        with pytest.raises(racetiming.NotFound):
            call()
    with pytest.raises(racetiming.InvalidParameter) as bad:
        e.awards(1, race_id(e, 1, "Boston Marathon", "Marathon"), overall=-1)
    assert bad.value.parameter == "overall"
    with pytest.raises(racetiming.InvalidParameter):
        e.performance(1)
    with pytest.raises(racetiming.NotFound):
        e.trends(1, event_name="No Such Race")
    with pytest.raises(racetiming.InvalidParameter):
        e.trends(1, year_from=2025, year_to=2020)


def test_reference_tables_replace_without_a_rebuild(tmp_path):
    # next year's standards, a minute faster for men of 18-34: a 2:55:00 no longer qualifies
    data = tmp_path / "data"
    data.mkdir()
    text = (SHARED / "data" / "boston-qualifying-2026.csv").read_text().replace("M,18,34,2:55:00", "M,18,34,2:54:00")
    (data / "boston-qualifying-2027.csv").write_text(text)
    engine = racetiming.Engine("sqlite:" + str(tmp_path / "rt.db"), data_dir=str(data))
    engine.add_partner("Hand Checked Timing", "hand-checked")
    engine.import_text(1, HAND_MADE)
    names = [r["name"] for r in engine.boston_qualifiers(1, race_id(engine, 1, "Check Marathon", "Marathon"))["qualifiers"]]
    assert "Al On" not in names and "Cy Exact" in names
    (data / "boston-qualifying-2028.csv").write_text("gender,age_min,age_max,standard\nM,18,34,not a time\n")
    with pytest.raises(racetiming.InvalidInput):
        racetiming.Engine("sqlite:" + str(tmp_path / "rt.db"), data_dir=str(data))


def test_reference_tables_that_cannot_be_read_are_refused(tmp_path):
    with pytest.raises(racetiming.InvalidParameter) as missing:
        racetiming.Engine("sqlite:" + str(tmp_path / "rt.db"), data_dir=str(tmp_path / "no-such-dir"))
    assert missing.value.parameter == "data_dir"
    data = tmp_path / "data"
    data.mkdir()
    (data / "age-grade-2026.csv").write_text("gender,event,distance_km,open_standard_s,age,factor\nM,5 km,5.0,769.0,45,zero\n")
    with pytest.raises(racetiming.InvalidInput) as bad:
        racetiming.Engine("sqlite:" + str(tmp_path / "rt.db"), data_dir=str(data))
    assert "age-grade-2026.csv line 2" in str(bad.value)
    (data / "age-grade-2026.csv").write_text("gender,distance_km,age\nM,5.0,45\n")
    with pytest.raises(racetiming.InvalidInput) as short:
        racetiming.Engine("sqlite:" + str(tmp_path / "rt.db"), data_dir=str(data))
    assert "open_standard_s" in str(short.value)
