"""Writes an interchange CSV of N entries for the ingest benchmark: marathons, halves and 10Ks of 10,000
runners each (the last race takes the rest), every finisher with the splits a chip mat would read
(marathon 4, half 2, 10K 1), one entry in 40 a DNF and one in 60 a DNS. Deterministic for a given N."""
import random
import sys

N = int(sys.argv[1])
out = sys.stdout
rnd = random.Random(15)
out.write("event_name,event_date,event_city,event_state,race_name,race_distance_m,bib,first_name,last_name,"
          "gender,age,city,state,country,team,status,chip_time,gun_time,splits\n")
shapes = [("Marathon", 42195, 9000, [("10K", 10000), ("HALF", 21098), ("30K", 30000), ("35K", 35000)]),
          ("Half Marathon", 21098, 4300, [("10K", 10000), ("15K", 15000)]),
          ("10K", 10000, 2100, [("5K", 5000)])]
firsts = ["Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea", "Max", "Nia"]
lasts = ["Adams", "Brook", "Chen", "Diaz", "Evans", "Fox", "Gray", "Hill", "Ito", "Jones", "Khan", "Lund"]
states = ["NY", "NJ", "CT", "MA", "PA", "VT"]


def hms(s):
    return f"{s // 3600}:{s // 60 % 60:02}:{s % 60:02}"


written, race_no = 0, 0
while written < N:
    name, metres, base, splits = shapes[race_no % 3]
    event = f"Bench City {name} {2000 + race_no // 3}"
    date = f"{2000 + race_no // 3}-{4 + race_no % 3:02}-15"
    size = min(10000, N - written)
    for i in range(size):
        t = base + rnd.randint(0, base)
        status = "dnf" if i % 40 == 7 else "dns" if i % 60 == 11 else "finished"
        split_text = ""
        if status != "dns":
            reached = splits if status == "finished" else splits[: len(splits) // 2]
            split_text = ";".join(f"{n}@{m}={hms(t * m // metres)}" for n, m in reached)
        chip = hms(t) if status == "finished" else ""
        gun = hms(t + rnd.randint(0, 90)) if status == "finished" else ""
        out.write(f"{event},{date},Bench City,NY,{name},{metres},{i + 1},{rnd.choice(firsts)},{rnd.choice(lasts)},"
                  f"{'MF'[i % 2]},{rnd.randint(16, 79)},Town {i % 97},{rnd.choice(states)},US,"
                  f"{'Club ' + str(i % 50) if i % 4 == 0 else ''},{status},{chip},{gun},{split_text}\n")
    written += size
    race_no += 1
