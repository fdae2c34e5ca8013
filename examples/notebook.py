"""racetiming from Python, as in a notebook: import a results file, ask questions, and draw the finish
times of one race (a matplotlib histogram when matplotlib is installed, a text one otherwise).

    python3 notebook.py racetiming.db results.csv [histogram.png]
"""

import sys

import racetiming

db_file, csv_file = sys.argv[1], sys.argv[2]
picture = sys.argv[3] if len(sys.argv) > 3 else "finish-times.png"

engine = racetiming.Engine("sqlite:" + db_file)
partner = next((p["timing_partner_id"] for p in engine.partners() if p["slug"] == "notebook"), None)
if partner is None:
    partner = engine.add_partner("Notebook Timing", "notebook")
report = engine.import_csv(partner, csv_file)
print(f"imported {report['rows_read']} entries ({report['created']} new)")

for question in ["How many runners finished the Boston Marathon under 3 hours?",
                 "What was the median finish time for women at the Boston Marathon?"]:
    try:
        answer = engine.ask(partner, question)
        print(f"{question}\n  {answer['summary']}")
    except racetiming.Refused as refusal:
        print(f"{question}\n  not answered: {refusal} (try: {'; '.join(refusal.suggestions)})")

# every finisher's chip time of the race, page by page
event = engine.events(partner, name="Boston Marathon", limit=1)["data"][0]
race = engine.races(partner, event_id=event["event_id"])["data"][0]
times, cursor = [], None
while True:
    page = engine.results(partner, race_id=race["race_id"], status="finished", limit=1000, cursor=cursor)
    times += [r["results_time_ms"] / 60000 for r in page["data"]]
    cursor = page["next_cursor"]
    if not cursor:
        break
title = f"finish times of the {event['event_name']} {event['event_date'][:4]} ({len(times)} finishers)"
print(title)

try:
    import matplotlib.pyplot as plt

    plt.hist(times, bins=30)
    plt.title(title)
    plt.xlabel("minutes")
    plt.ylabel("finishers")
    plt.savefig(picture)
    print(f"saved {picture}")
except ImportError:
    low, width = int(min(times)) // 15 * 15, 15
    counts = {}
    for t in times:
        counts[int(t - low) // width] = counts.get(int(t - low) // width, 0) + 1
    top = max(counts.values())
    for b in range(max(counts) + 1):
        start = low + b * width
        n = counts.get(b, 0)
        print(f"{start // 60:2d}:{start % 60:02d} {'#' * max(1 if n else 0, n * 50 // top):<50} {n}")
