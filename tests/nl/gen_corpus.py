#!/usr/bin/env python3
"""Large answer key (and trap corpus) for the natural-language engine over the DEMO data.

    racetiming --db sqlite:/tmp/corpus-demo.db seed --scale demo
    python3 tests/nl/gen_corpus.py /tmp/corpus-demo.db [corpus.tsv traps.tsv]

Writes tests/nl/corpus.tsv (answerable questions) and tests/nl/traps.tsv (questions no data answers, all of
kind refuse), both with the columns of demo_questions.tsv: partner slug, question, intent, expected JSON
{"kind", "value"} (kinds as in /work/shared/nl/README.md). Prints counts per family, per partner, per kind,
the number of distinct wordings per family, and what was skipped and why.

Nothing is computed through the engine. Every expected value comes from the raw rows that
gen_demo_questions.py reads (its Partner, fil, ranked, rank_time and answer functions are reused, not
copied), following docs/nl.md and the semantics below:

  * finishers = status finished with a final time; starters = finished + dnf + dq; entrants / registered /
    participants / signed up = every entry; DNF / DNS / DQ = that status.
  * An event name without a year = its latest edition; "last year" = 2025 (context.today = 2026-11-25).
  * A named race narrows to that race. Otherwise counts, shares, age statistics, distinct counts and the
    oldest / youngest finisher read all races of the edition; times, paces, rankings and finish-time
    bounds read the main race (a share of finishers under a time is a share of the main race's finishers).
  * Pace bounds ("under 8 minutes per mile", "faster than 5:00 per km") read the stored pace of every race
    of the edition (a pace compares across distances). Groups ranked by a count or an average name every
    group tied for the first place.
  * Age bounds: "in their 40s" 40-49, "aged 30 to 39" inclusive, masters 40+, grand masters 50+,
    "60 or older" / "60 and over" / "60+" >= 60, "over 50" >= 50, "under 18" <= 17,
    "younger than 30" <= 29, "older than 40" >= 41. Time bounds: under / over strict, between inclusive.

A question is skipped (and counted as skipped) when its answer would be ambiguous or empty: ties for a name
or a place, an empty population or a count of 0 (except the deliberate "no such data" questions), a time
bound on an event whose races disagree about it, a distinct count of "states" that would include DC or a
Canadian province, and so on. The random choices use a fixed seed: the output is byte-for-byte the same on
every run over the same database.
"""
import collections
import json
import os
import random
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_demo_questions as g  # noqa: E402  (the answer functions and the Partner loader)

SEED = 'racetiming-nl-corpus-1'
LY = g.LY                                   # "last year" = 2025
THIS_YEAR = g.TODAY.year                    # "this year" = 2026
RACE_OF_DIST = {v: k for k, v in g.DIST.items()}
MIN = 60 * 1000

US_STATES = {
    'AL': 'Alabama', 'AK': 'Alaska', 'AZ': 'Arizona', 'AR': 'Arkansas', 'CA': 'California', 'CO': 'Colorado',
    'CT': 'Connecticut', 'DE': 'Delaware', 'FL': 'Florida', 'GA': 'Georgia', 'HI': 'Hawaii', 'ID': 'Idaho',
    'IL': 'Illinois', 'IN': 'Indiana', 'IA': 'Iowa', 'KS': 'Kansas', 'KY': 'Kentucky', 'LA': 'Louisiana',
    'ME': 'Maine', 'MD': 'Maryland', 'MA': 'Massachusetts', 'MI': 'Michigan', 'MN': 'Minnesota',
    'MS': 'Mississippi', 'MO': 'Missouri', 'MT': 'Montana', 'NE': 'Nebraska', 'NV': 'Nevada',
    'NH': 'New Hampshire', 'NJ': 'New Jersey', 'NM': 'New Mexico', 'NY': 'New York State',
    'NC': 'North Carolina', 'ND': 'North Dakota', 'OH': 'Ohio', 'OK': 'Oklahoma', 'OR': 'Oregon',
    'PA': 'Pennsylvania', 'RI': 'Rhode Island', 'SC': 'South Carolina', 'SD': 'South Dakota',
    'TN': 'Tennessee', 'TX': 'Texas', 'UT': 'Utah', 'VT': 'Vermont', 'VA': 'Virginia', 'WA': 'Washington',
    'WV': 'West Virginia', 'WI': 'Wisconsin', 'WY': 'Wyoming'}
# "from New York" could mean the city; the state is named "New York State" above, and "in New York" for events
EVENT_STATE_NAMES = dict(US_STATES, NY='New York')

# words for a named race, by the race keys of g.DIST
RACE_WORDS = {'5K': ['5K'], '10K': ['10K'], '15K': ['15K'], '10 Mile': ['10 mile', '10-mile race'],
              'half': ['half', 'half marathon'], 'marathon': ['marathon', 'full marathon'], '50K': ['50K']}

# candidate time bounds (minutes) per race distance, around the demo's spread of finish times
TIME_BOUNDS = {5000: [20, 25, 28, 30, 35, 40, 45], 10000: [45, 50, 55, 60, 65, 70, 80],
               15000: [80, 90, 100, 110, 120], 16093: [80, 90, 100, 110, 120, 135],
               21098: [105, 120, 135, 150, 165, 180], 42195: [210, 240, 270, 300, 330, 360],
               50000: [300, 360, 420, 480]}

ORDINALS = {2: ['second', '2nd'], 3: ['third', '3rd'], 4: ['fourth', '4th'], 5: ['fifth', '5th'],
            6: ['sixth', '6th'], 7: ['seventh', '7th'], 8: ['eighth', '8th'], 10: ['tenth', '10th']}
NUMBER_WORDS = {3: 'three', 5: 'five', 10: 'ten'}


# ---- small text helpers ------------------------------------------------------------------------------------
_KEEP = re.compile(r'^[A-Z]{1,2}$|^[MFX]\d\d-\d\d$|^[MFX]\d\d\+$|^\d\d-\d\d$')


def casualize(text):
    """Lower-case a sentence as a hurried director types it; state codes and division labels stay as typed."""
    out = []
    for w in text.split():
        core = w.strip(',.?')
        out.append(w if _KEEP.match(core) else w.lower())
    return ' '.join(out).rstrip('?.')


def finish(text, casual):
    text = re.sub(r'\s+', ' ', text).strip()
    text = text.replace(' ,', ',').replace(' ?', '?')
    if casual:
        return casualize(text)
    return text[0].upper() + text[1:]


def pick_tpl(rng, templates):
    """templates: list of (key, text, casual). Returns one of them."""
    return templates[rng.randrange(len(templates))]


def dur_text(minutes, dist, rng):
    """A duration as a director writes it: '25 minutes', '25:00', '3 hours', '3:30:00', '3:30' (long races)."""
    h, m = divmod(minutes, 60)
    if h == 0:
        return rng.choice([f'{m} minutes', f'{m}:00'])
    if m == 0:
        return rng.choice([f'{h} hour' if h == 1 else f'{h} hours', f'{h}:00:00'])
    opts = [f'{h}:{m:02d}:00']
    if dist >= 21098:                       # H:MM only where a MM:SS reading is impossible
        opts.append(f'{h}:{m:02d}')
    return rng.choice(opts)


def between_text(a, b, dist, rng):
    if a % 60 == 0 and b % 60 == 0:
        return f'between {a // 60} and {b // 60} hours'
    if a < 60 and b < 60:
        return f'between {a} and {b} minutes'
    hm = dist >= 21098 and rng.random() < 0.5                  # both ends in the same notation
    fmt = (lambda x: f'{x // 60}:{x % 60:02d}') if hm else (lambda x: f'{x // 60}:{x % 60:02d}:00')
    return f'between {fmt(a)} and {fmt(b)}'


# ---- event references -------------------------------------------------------------------------------------
class Ref:
    """An event as a question names it: name, edition year (None = latest), a named race (None = none)."""

    def __init__(self, name, year=None, race=None, ly=False):
        self.name, self.year, self.race, self.ly = name, year, race, ly

    def obj(self, rng, casual=False, race=True, trail=True):
        """'the Boston Marathon', 'the 2023 Boston Marathon', 'the half at Big River Marathon in 2024', ...
        trail=False: no year after the name (for 'did the 2023 X have', not 'did the X in 2023 have')."""
        name = self.name.lower() if casual else self.name
        the = '' if rng.random() < (0.5 if casual else 0.12) else 'the '
        if self.year is None:
            e = the + name
        elif self.ly:
            e = rng.choice([f'{the}{name} last year', f"last year's {name}"] if trail else [f"last year's {name}"])
        else:
            e = rng.choice([f'{the}{name} in {self.year}', f'the {self.year} {name}', f'{name} {self.year}']
                           if trail else [f'the {self.year} {name}'])
        if race and self.race:
            e = f'the {self.race_word(rng)} at {e}'
        return e

    def race_word(self, rng):
        return rng.choice(RACE_WORDS[self.race])

    def adj(self, rng, casual=False):
        """The event as a modifier ('Boston Marathon', 'the 2023 Boston Marathon', "last year's ..."), no race."""
        name = self.name.lower() if casual else self.name
        if self.year is None:
            return rng.choice([name, 'the ' + name])
        if self.ly:
            return f"last year's {name}"
        return f'the {self.year} {name}'

    def group(self, rng, head='finishers', casual=False):
        """A population noun phrase: 'the finishers at the X', 'X finishers', 'half marathon finishers at X'."""
        if self.race:
            rw = self.race_word(rng)
            return rng.choice([f'{rw} {head} at {self.obj(rng, casual, race=False)}',
                               f'the {head} of the {rw} at {self.obj(rng, casual, race=False)}'])
        return rng.choice([f'the {head} at {self.obj(rng, casual)}', f'the {head} of {self.obj(rng, casual)}',
                           f'{self.adj(rng, casual)} {head}'])


# ---- filters ----------------------------------------------------------------------------------------------
class Flt:
    """One restriction of a population, with the ways a sentence can carry it.

    kind: g (gender), age, state, city, team, div, t (time bound). kw: arguments for g.fil (team apart).
    noun / adj / pred_noun: gender words; pre / post: modifiers before / after the head noun; pred: the
    predicate after 'were'; tm: a time bound's verb complement ('under 3 hours')."""

    def __init__(self, kind, kw, rng, noun=None, adj=None, pre=None, post=None, pred=None, tm=None,
                 loose=False):
        self.kind, self.kw = kind, kw
        self.noun, self.adj, self.pre, self.post, self.pred, self.tm = noun, adj, pre, post, pred, tm
        self.loose = loose                   # an 'under / over / older / younger' age: not next to a time bound
        self.use_pre = bool(pre) and (not post or rng.random() < 0.5)


def f_gender(code, rng):
    if code == 'F':
        noun = rng.choice(['women', 'women', 'female runners', 'ladies'])
        return Flt('g', {'g': 'F'}, rng, noun=noun, adj='female', pred=rng.choice(['women', 'female']))
    if code == 'M':
        noun = rng.choice(['men', 'men', 'male runners'])
        return Flt('g', {'g': 'M'}, rng, noun=noun, adj='male', pred=rng.choice(['men', 'male']))
    return Flt('g', {'g': 'X'}, rng, noun='non-binary runners', adj='non-binary', pred='non-binary')


def f_age(rng):
    """One of the age wordings of nl.md and their bounds (see the module docstring)."""
    form = rng.choice(['decade', 'decade', 'aged', 'masters', 'masters', 'grand', 'orolder', 'andover', 'plus',
                       'over', 'under', 'younger', 'older'])
    if form == 'decade':
        d = rng.choice([20, 30, 40, 50, 60])
        return Flt('age', {'age': (d, d + 9)}, rng, post=f'in their {d}s', pred=f'in their {d}s')
    if form == 'aged':
        a = rng.choice([20, 25, 30, 35, 40, 45, 50, 55])
        b = a + rng.choice([4, 9])
        txt = rng.choice([f'aged {a} to {b}', f'between the ages of {a} and {b}'])
        return Flt('age', {'age': (a, b)}, rng, post=txt, pred=txt)
    if form == 'masters':
        return Flt('age', {'age': (40, 200)}, rng, pre='masters', pred='masters runners')
    if form == 'grand':
        return Flt('age', {'age': (50, 200)}, rng, pre='grand masters', pred='grand masters runners')
    n = rng.choice([50, 60, 65, 70]) if form in ('orolder', 'andover', 'plus') else None
    if form == 'orolder':
        return Flt('age', {'age': (n, 200)}, rng, post=f'{n} or older', pred=f'{n} or older')
    if form == 'andover':
        return Flt('age', {'age': (n, 200)}, rng, post=f'{n} and over', pred=f'{n} and over')
    if form == 'plus':
        return Flt('age', {'age': (n, 200)}, rng, pre=f'{n}+', post=f'aged {n}+', pred=f'{n}+')
    if form == 'over':
        n = rng.choice([40, 50, 60])
        return Flt('age', {'age': (n, 200)}, rng, post=f'over {n}', pred=f'over {n}', loose=True)
    if form == 'under':
        n = rng.choice([18, 20, 30])
        return Flt('age', {'age': (1, n - 1)}, rng, post=f'under {n}', pred=f'under {n}', loose=True)
    if form == 'younger':
        n = rng.choice([20, 25, 30])
        return Flt('age', {'age': (1, n - 1)}, rng, post=f'younger than {n}', pred=f'younger than {n}', loose=True)
    n = rng.choice([40, 50, 60])
    return Flt('age', {'age': (n + 1, 200)}, rng, post=f'older than {n}', pred=f'older than {n}', loose=True)


def f_state(code, rng):
    txt = f'from {code}' if rng.random() < 0.5 else f'from {US_STATES[code]}'
    return Flt('state', {'state': code}, rng, post=txt, pred=txt)


def f_city(city, rng):
    return Flt('city', {'city': city}, rng, post=f'from {city}', pred=f'from {city}')


def f_team(team, rng):
    return Flt('team', {'team': team}, rng, post=f'on the {team} team',
               pred=rng.choice([f'on the {team} team', f'running for {team}']))


def f_div(div, rng):
    label = div if rng.random() < 0.75 else f'{div[0]} {div[1:]}'
    post = rng.choice([f'in the {label} age group', f'in the {label} division'])
    return Flt('div', {'div': div}, rng, pre=label, post=post, pred=post)


def f_time(op, a, b, dist, rng):
    if op == '<':
        tm = rng.choice(['under {}', 'in under {}', 'faster than {}', 'in less than {}']).format(
            dur_text(a, dist, rng))
        kw = ('<', a * MIN)
    elif op == '>':
        tm = rng.choice(['over {}', 'in over {}', 'slower than {}', 'in more than {}']).format(
            dur_text(a, dist, rng))
        kw = ('>', a * MIN)
    else:
        tm = between_text(a, b, dist, rng)
        kw = ('[]', a * MIN, b * MIN)
    return Flt('t', {'t': kw}, rng, tm=tm, pred=f'ran {tm}')


def subj(flts, head='runners'):
    """'women in their 40s from NJ', 'masters runners', 'female finishers on the X team', 'F40-44 runners'."""
    gen = next((f for f in flts if f.kind == 'g'), None)
    others = [f for f in flts if f.kind not in ('g', 't')]
    pres = [f.pre for f in others if f.use_pre]
    posts = [f.post for f in others if not f.use_pre]
    if gen:
        noun = gen.noun if head in ('runners', 'people') else f'{gen.adj} {head}'
    else:
        noun = 'runners' if head == 'people' and pres else head      # not 'masters people'
    return ' '.join(pres + [noun] + posts)


def pred(flts):
    """The predicate of 'How many of the finishers were ___' for the non-time filters."""
    gen = next((f for f in flts if f.kind == 'g'), None)
    others = [f for f in flts if f.kind not in ('g', 't')]
    pres = [f.pre for f in others if f.use_pre]
    posts = [f.post for f in others if not f.use_pre]
    if gen:
        head = gen.pred if not (pres or posts) else gen.noun
        return ' '.join(pres + [head] + posts)
    if pres:
        return ' '.join(pres + ['runners'] + posts)
    if len(others) == 1:
        return others[0].pred
    return 'runners ' + ' '.join(posts)


def time_flt(flts):
    return next((f for f in flts if f.kind == 't'), None)


def kw_of(flts):
    kw = {}
    for f in flts:
        kw.update(f.kw)
    return kw


# ---- populations (all reads go through g.Partner / g.fil) --------------------------------------------------
def members(P, ref, st='fin', main=False, flts=(), **extra):
    """Entries of the question's scope that pass the status and the filters."""
    races = P.scope(ref.name, ref.year, ref.race, main)
    kw = dict(kw_of(flts), **extra)
    team = kw.pop('team', None)
    rows = g.fil(P.rows(races), st, **kw)
    return [p for p in rows if p['team'] == team] if team else rows


def timed_race(P, ref):
    """The race a time bound or a time statistic reads: the named race, else the main race."""
    races = P.scope(ref.name, ref.year, ref.race, main=True)
    return races[0] if races else None


def multi_race(P, ref):
    ed = P.edition(ref.name, ref.year)
    return ed is not None and len(P.races_of(ed)) > 1


def year_rows(P, year):
    return P.rows([r for e in P.events if e['event_date'][:4] == str(year) for r in P.races_of(e)])


def median_ms(ts):
    ts = sorted(ts)
    return round((ts[(len(ts) - 1) // 2] + ts[len(ts) // 2]) / 2)


# ---- output ----------------------------------------------------------------------------------------------
SUBJECT_FIELDS = ['subj', 'fsubj', 'ssubj', 'psubj', 'esubj', 'parsubj', 'among']


def meta(who, subj=None):
    """What a question is about, for the traps: 'people' (a group), 'person' (one name), 'stat' (a measure),
    'zero'; subj: the exact subject phrase in the question, after which a clause can be inserted."""
    return {'who': who, 'subj': subj}


class Out:
    def __init__(self):
        self.rows = []          # (slug, question, intent, kind, value, family, meta)
        self.seen = set()
        self.skips = collections.Counter()          # (family, reason) -> n
        self.wordings = collections.defaultdict(set)
        self.dups = 0

    def add(self, fam, P, question, intent, kind, value, wording, info):
        assert '\t' not in question and '\n' not in question
        if (P.slug, question.lower()) in self.seen:
            self.dups += 1
            return False
        self.seen.add((P.slug, question.lower()))
        self.rows.append((P.slug, question, intent, kind, value, fam, info))
        self.wordings[fam].add(wording)
        return True

    def skip(self, fam, reason):
        self.skips[(fam, reason)] += 1


class Skip(Exception):
    """Raised by a question builder when the answer would be ambiguous or empty."""


class Ctx:
    """One partner's generation state: the partner, a seeded generator and an even cycle over its events."""

    def __init__(self, P, fam):
        self.P, self.fam = P, fam
        self.rng = random.Random(f'{SEED}:{P.slug}:{fam}')
        self.names = sorted(P.names)
        self.rng.shuffle(self.names)
        self.i = 0
        self.years = sorted({int(e['event_date'][:4]) for e in P.events})

    def next_name(self):
        n = self.names[self.i % len(self.names)]
        self.i += 1
        return n

    def editions(self, name):
        return sorted({int(e['event_date'][:4]) for e in self.P.events if e['event_name'] == name})

    def event_with_editions(self, at_least, why):
        """The next event name and its edition years; Skip(why) when it has fewer than at_least."""
        name = self.next_name()
        eds = self.editions(name)
        if len(eds) < at_least:
            raise Skip(why)
        return name, eds

    def ref(self, year_p=0.5, race_p=0.3, name=None):
        """A random reference: latest (1 - year_p), a given year or 'last year'; a named race with race_p."""
        rng, P = self.rng, self.P
        name = name or self.next_name()
        eds = self.editions(name)
        r = rng.random()
        if r < year_p * 0.3 and LY in eds:
            ref = Ref(name, LY, ly=True)
        elif r < year_p:
            ref = Ref(name, rng.choice(eds))
        else:
            ref = Ref(name)
        ed = P.edition(name, ref.year)
        races = sorted(P.races_of(ed), key=lambda x: x['distance_m'])
        if len(races) > 1 and rng.random() < race_p:
            ref.race = RACE_OF_DIST[rng.choice(races)['distance_m']]
        return ref


def run(ctx, out, target, builder, tries=8):
    """Call builder until target questions were added (or target * tries attempts were made)."""
    made = 0
    for _ in range(target * tries):
        if made >= target:
            break
        try:
            r = builder(ctx)
        except Skip as s:
            out.skip(ctx.fam, str(s))
            continue
        question, intent, kind, value, wording, info = r
        made += out.add(ctx.fam, ctx.P, question, intent, kind, value, wording, info)
    if made < target:
        out.skip(ctx.fam, f'short of target by {target - made}')


# ---- filter sampling --------------------------------------------------------------------------------------
def sample_filter(ctx, kind, ref, pool, st):
    """A filter of the given kind whose value occurs in pool (the scope's entries)."""
    rng, P = ctx.rng, ctx.P
    if kind == 'g':
        return f_gender(rng.choice(['F', 'F', 'M', 'M', 'X']) if any(p['gender'] == 'X' for p in pool)
                        else rng.choice(['F', 'M']), rng)
    if kind == 'age':
        return f_age(rng)
    if kind == 'state':
        codes = sorted({p['state'] for p in pool if p['state'] in US_STATES})
        return f_state(rng.choice(codes), rng) if codes else None
    if kind == 'city':
        bad = ' '.join(P.names).lower()
        cities = collections.Counter(p['city'] for p in pool if p['city'])
        # a city that also names one of the partner's events or a state, or that lies in two states, is unclear
        two_states = {c for c in cities if len({q['state'] for q in pool if q['city'] == c}) > 1}
        ok = sorted(c for c in cities if c.lower() not in bad and c not in US_STATES.values()
                    and c not in ('Washington', 'New York') and c not in two_states)
        return f_city(rng.choice(ok), rng) if ok else None
    if kind == 'team':
        teams = sorted({p['team'] for p in pool if p['team']})
        return f_team(rng.choice(teams), rng) if teams else None
    if kind == 'div':
        divs = sorted({p['division'] for p in pool if p['division']})
        return f_div(rng.choice(divs), rng) if divs else None
    if kind == 't':
        race = timed_race(P, ref)
        if race is None:
            return None
        fs = g.fil(P.entries[race['race_id']])
        if not fs:
            return None
        ts = [p['time'] for p in fs]
        bounds = TIME_BOUNDS[race['distance_m']]
        op = rng.choice(['<', '<', '<', '>', '>', '[]'])
        if op == '[]':
            pairs = [(a, b) for a, b in zip(bounds, bounds[1:]) if any(a * MIN <= t <= b * MIN for t in ts)]
            return f_time('[]', *rng.choice(pairs), race['distance_m'], rng) if pairs else None
        ok = [a for a in bounds if 0 < sum((t < a * MIN) if op == '<' else (t > a * MIN) for t in ts) < len(ts)]
        return f_time(op, rng.choice(ok), None, race['distance_m'], rng) if ok else None
    raise ValueError(kind)


PAIRS = [('g', 'age'), ('g', 'age'), ('g', 'state'), ('g', 'city'), ('g', 'team'), ('g', 't'), ('age', 'state'),
         ('age', 't'), ('state', 't'), ('div', 'state')]
SINGLES = ['g', 'g', 'g', 'age', 'age', 'age', 'state', 'state', 'city', 'team', 'div', 't', 't']


def sample_filters(ctx, ref, st, n=None, allowed=None, pool=None):
    """0, 1 or 2 filters suited to the status st ('t' only for finishers); values drawn from pool
    (default: every entry of the reference's scope)."""
    rng = ctx.rng
    pool = members(ctx.P, ref, 'all') if pool is None else pool
    if n is None:
        n = rng.choices([0, 1, 2], [1, 6, 3])[0]
    allowed = allowed or ['g', 'age', 'state', 'city', 'team', 'div', 't']
    if st != 'fin':
        allowed = [k for k in allowed if k != 't']
    if n == 0:
        return []
    if n == 1:
        kinds = [rng.choice([k for k in SINGLES if k in allowed])]
    else:
        pairs = [p for p in PAIRS if all(k in allowed for k in p)]
        if not pairs:
            kinds = [rng.choice([k for k in SINGLES if k in allowed])]
        else:
            kinds = list(rng.choice(pairs))
    flts = []
    for k in kinds:
        f = sample_filter(ctx, k, ref, pool, st)
        if f is None:
            raise Skip(f'no value for filter {k}')
        flts.append(f)
    a, t = next((f for f in flts if f.kind == 'age'), None), time_flt(flts)
    if a and t and a.loose:
        raise Skip('age "under/over" next to a time bound')
    return flts


def count_scope(P, ref, st, flts):
    """The count a question asks for; a time bound on a multi-race event must mean the same in all races."""
    n = len(members(P, ref, st, flts=flts))
    if time_flt(flts) and not ref.race and multi_race(P, ref):
        if n != len(members(P, ref, st, main=True, flts=flts)):
            raise Skip('time bound differs between all races and the main race')
    if n == 0:
        raise Skip('empty population')
    return n


# ---- family 1: counts -------------------------------------------------------------------------------------
COUNT_TPL = {
    'fin': [('c_how', 'How many {subj} finished {ev}{tm}?', False),
            ('c_number', 'Number of {subj} who completed {ev}{tm}', False),
            ('c_count', 'Count the {subj} who finished {ev}{tm}.', False),
            ('c_give', 'Give me the number of {subj} who finished {ev}{tm}', False),
            ('c_have', 'How many {fsubj} did {evh} have{tm}?', False),
            ('c_of', 'How many of the finishers at {ev} were {pred}?', False),
            ('c_casual', 'how many {subj} finished {ev}{tm}', True)],
    'start': [('s_how', 'How many {subj} started {ev}?', False),
              ('s_ran', 'How many {subj} ran {ev}?', False),
              ('s_there', 'How many {ssubj} were there at {ev}?', False),
              ('s_number', 'Number of {ssubj} at {ev}', False),
              ('s_casual', 'how many {subj} started {ev}', True)],
    'all': [('a_reg', 'How many {psubj} registered for {ev}?', False),
            ('a_signed', 'How many {psubj} signed up for {ev}?', False),
            ('a_entrants', 'How many {esubj} did {evh} have?', False),
            ('a_part', 'Number of {parsubj} in {ev}', False),
            ('a_give', 'Give me the count of {esubj} for {ev}', False),
            ('a_casual', 'how many {psubj} signed up for {ev}', True)],
    'dnf': [('dnf_how', 'How many {subj} did not finish {ev}?', False),
            ('dnf_there', 'How many DNFs were there{among} at {ev}?', False),
            ('dnf_number', 'Number of DNFs at {ev}{among}', False),
            ('dnf_casual', 'how many dnfs at {ev}{among}', True)],
    'dns': [('dns_how', 'How many {subj} did not start {ev}?', False),
            ('dns_there', 'How many DNS were there{among} at {ev}?', False),
            ('dns_reg', 'How many {psubj} registered for {ev} but did not start?', False),
            ('dns_casual', 'number of dns at {ev}{among}', True)],
    'dq': [('dq_how', 'How many {subj} were disqualified at {ev}?', False),
           ('dq_there', 'How many DQs were there{among} at {ev}?', False),
           ('dq_number', 'Number of disqualifications at {ev}{among}', False),
           ('dq_casual', 'how many dqs at {ev}{among}', True)]}
COUNT_INTENT = {'fin': 'count_finishers', 'start': 'count_participants', 'all': 'count_participants',
                'dnf': 'count_status', 'dns': 'count_status', 'dq': 'count_status'}


def b_count(ctx):
    rng, P = ctx.rng, ctx.P
    st = rng.choices(['fin', 'start', 'all', 'dnf', 'dns', 'dq'], [10, 3, 3, 2, 2, 1])[0]
    ref = ctx.ref()
    if st in ('fin', 'start', 'all'):
        flts = sample_filters(ctx, ref, st)
    else:
        flts = sample_filters(ctx, ref, st, n=rng.choice([0, 1]), allowed=['g', 'age', 'state'])
    n = count_scope(P, ref, st, flts)
    tpls = COUNT_TPL[st]
    if len([f for f in flts if f.kind != 't']) != 1 or time_flt(flts):
        tpls = [t for t in tpls if t[0] != 'c_of']          # 'were ___' carries exactly one plain filter
    key, tpl, cas = pick_tpl(rng, tpls)
    tf = time_flt(flts)
    plain = [f for f in flts if f.kind != 't']
    fields = dict(
        ev=ref.obj(rng, cas), evh=ref.obj(rng, cas, trail=False), tm=(' ' + tf.tm) if tf else '',
        subj=subj(plain, rng.choice(['runners', 'runners', 'people'])), fsubj=subj(plain, 'finishers'),
        ssubj=subj(plain, 'starters'), psubj=subj(plain, 'people'), esubj=subj(plain, 'entrants'),
        parsubj=subj(plain, 'participants'), pred=pred(plain) if plain else '',
        among=(' among ' + subj(plain)) if plain else '')
    field = next((f for f in SUBJECT_FIELDS if '{' + f + '}' in tpl), None)
    who = fields[field].replace(' among ', '', 1) if field else None
    return finish(tpl.format(**fields), cas), COUNT_INTENT[st], 'count', n, key, meta('people', who)


# ---- family 2: distinct counts ----------------------------------------------------------------------------
DISTINCT_TPL = {
    'team': [('t_had', 'How many teams had finishers at {ev}?', False, 'fin'),
             ('t_repr', 'How many different teams were represented among {grp}?', False, 'fin'),
             ('t_number', 'Number of teams with at least one finisher at {ev}', False, 'fin'),
             ('t_reg', 'How many different teams had runners registered for {ev}?', False, 'all'),
             ('t_casual', 'how many teams had finishers at {ev}', True, 'fin')],
    'state': [('st_come', 'How many states did {grp} come from?', False, 'fin'),
              ('st_diff', 'How many different states were {grp} from?', False, 'fin'),
              ('st_reg', 'From how many states did people register for {ev}?', False, 'all'),
              ('st_ent', 'Number of distinct states among {egrp}', False, 'all'),
              ('st_casual', 'how many states were {grp} from', True, 'fin')],
    'city': [('ci_come', 'How many different cities did {grp} come from?', False, 'fin'),
             ('ci_ent', 'How many cities were represented among {egrp}?', False, 'all'),
             ('ci_number', 'Number of distinct home towns among {grp}', False, 'fin'),
             ('ci_casual', 'how many different cities were {grp} from', True, 'fin')]}


def b_distinct(ctx):
    rng, P = ctx.rng, ctx.P
    what = rng.choice(['team', 'team', 'state', 'state', 'city'])
    ref = ctx.ref(race_p=0.2)
    key, tpl, cas, st = pick_tpl(rng, DISTINCT_TPL[what])
    pop = members(P, ref, st)
    col = {'team': 'team', 'state': 'state', 'city': 'city'}[what]
    vals = {p[col] for p in pop if p[col]}
    if not vals:
        raise Skip('empty population')
    if what == 'state' and any(v not in US_STATES for v in vals):
        raise Skip('"states" would include DC or a province')
    fields = dict(ev=ref.obj(rng, cas), grp=ref.group(rng, 'finishers', cas),
                  egrp=ref.group(rng, 'entrants', cas))
    return finish(tpl.format(**fields), cas), 'count_distinct', 'count', len(vals), key, meta('stat')


# ---- family 3: shares -------------------------------------------------------------------------------------
SHARE_TPL = [('sh_pct', 'What {pw} of {grp} were {pred}?', False),
             ('sh_runners', 'What {pw} of the runners who finished {ev} were {pred}?', False),
             ('sh_casual', 'what % of {grp} were {pred}', True)]
SHARE_TIME_TPL = [('sht_ran', 'What {pw} of {grp} ran {tm}?', False),
                  ('sht_fin', 'What {pw} of the runners who finished {ev} did it {tm}?', False),
                  ('sht_casual', 'what % of {grp} finished {tm}', True)]
RATE_TPL = {  # (part status, whole status): wordings
    ('fin', 'start'): [('fr_pct', 'What {pw} of starters finished {ev}?', False),
                       ('fr_rate', 'What was the finish rate at {ev}?', False),
                       ('fr_share', 'What share of the runners who started {ev} made it to the finish?', False),
                       ('fr_casual', 'finish rate at {ev}', True)],
    ('dnf', 'start'): [('dr_pct', 'What {pw} of starters did not finish {ev}?', False),
                       ('dr_rate', 'What was the DNF rate at {ev}?', False),
                       ('dr_casual', 'dnf rate at {ev}', True)],
    ('dns', 'all'): [('ns_frac', 'What fraction of entrants at {ev} did not start?', False),
                     ('ns_pct', 'What {pw} of the people registered for {ev} did not start?', False),
                     ('ns_casual', 'what % of entrants did not start {ev}', True)],
    ('fin', 'all'): [('fa_pct', 'What {pw} of entrants finished {ev}?', False),
                     ('fa_signed', 'What {pw} of the people who signed up for {ev} finished?', False)]}


def b_share(ctx):
    rng, P = ctx.rng, ctx.P
    pw = rng.choice(['percentage', 'percent', 'share'])
    mode = rng.choices(['filter', 'time', 'rate'], [5, 2, 3])[0]
    ref = ctx.ref(race_p=0.25)
    if mode == 'rate':
        part_st, whole_st = rng.choice(sorted(RATE_TPL))
        key, tpl, cas = pick_tpl(rng, RATE_TPL[(part_st, whole_st)])
        whole, part = len(members(P, ref, whole_st)), len(members(P, ref, part_st))
        text = tpl.format(pw=pw, ev=ref.obj(rng, cas))
        intent = 'percent'
    else:
        if mode == 'time':
            flts = sample_filters(ctx, ref, 'fin', n=1, allowed=['t'])
            key, tpl, cas = pick_tpl(rng, SHARE_TIME_TPL)
            text = tpl.format(pw=pw, grp=ref.group(rng, 'finishers', cas), ev=ref.obj(rng, cas), tm=flts[0].tm)
        else:
            flts = sample_filters(ctx, ref, 'fin', n=rng.choice([1, 1, 1, 2]),
                                  allowed=['g', 'age', 'state', 'team', 'div'])
            key, tpl, cas = pick_tpl(rng, SHARE_TPL)
            text = tpl.format(pw=pw, grp=ref.group(rng, 'finishers', cas), ev=ref.obj(rng, cas), pred=pred(flts))
        whole = len(members(P, ref, 'fin', main=mode == 'time'))
        part = count_scope(P, ref, 'fin', flts) if whole else 0
        intent = 'share'
    if whole == 0:
        raise Skip('empty population')
    if part == 0:
        raise Skip('empty part')
    return finish(text, cas), intent, 'percent', round(100 * part / whole, 1), key, meta('stat')


# ---- family 4: age statistics and the oldest / youngest finisher ------------------------------------------
AGE_TPL = {
    'fin': [('ag_fin', 'What was the average age of {grp}?', False),
            ('ag_old', 'How old were {grp} on average?', False),
            ('ag_who', 'What was the average age of {gnoun} who finished {ev}?', False),
            ('ag_casual', 'avg age of {grp}', True)],
    'all': [('ag_ent', 'What was the average age of {egrp}?', False),
            ('ag_reg', 'Average age of everyone who registered for {ev}', False),
            ('ag_mean', 'What is the mean age of the people who signed up for {ev}?', False)],
    'start': [('ag_start', 'What was the average age of the runners who started {ev}?', False)]}
EXTREME_TPL = [('ex_who', 'Who was the {sup} finisher at {ev}?', False),
               ('ex_to', 'Who was the {sup} {one} to finish {ev}?', False),
               ('ex_name', 'Name the {sup} {one} who completed {ev}', False),
               ('ex_casual', '{sup} finisher at {ev}', True)]


def gender_nouns(code):
    return {'F': ('women', 'woman'), 'M': ('men', 'man'), 'X': ('non-binary runners', 'non-binary runner'),
            None: ('runners', 'runner')}[code]


def b_age(ctx):
    rng, P = ctx.rng, ctx.P
    ref = ctx.ref(race_p=0.2)
    gcode = rng.choice([None, None, 'F', 'M'])
    if rng.random() < 0.4:                                      # oldest / youngest
        key, tpl, cas = pick_tpl(rng, EXTREME_TPL)
        if key == 'ex_casual' or key == 'ex_who':
            gcode = None
        old = rng.random() < 0.5
        fs = members(P, ref, 'fin', g=gcode) if gcode else members(P, ref, 'fin')
        if not fs:
            raise Skip('empty population')
        best = (max if old else min)(p['age'] for p in fs)
        who = [p for p in fs if p['age'] == best]
        if len(who) > 1:
            raise Skip('tie on the extreme age')
        text = tpl.format(sup='oldest' if old else 'youngest', one=gender_nouns(gcode)[1], ev=ref.obj(rng, cas))
        return finish(text, cas), 'extreme_person', 'name', who[0]['name'], key, meta('person')
    st = rng.choices(['fin', 'all', 'start'], [6, 3, 1])[0]
    key, tpl, cas = pick_tpl(rng, AGE_TPL[st])
    if key != 'ag_who':
        gcode = None
    pop = members(P, ref, st, g=gcode) if gcode else members(P, ref, st)
    if not pop:
        raise Skip('empty population')
    value = round(sum(p['age'] for p in pop) / len(pop), 1)
    text = tpl.format(grp=ref.group(rng, 'finishers', cas), egrp=ref.group(rng, 'entrants', cas),
                      ev=ref.obj(rng, cas), gnoun=gender_nouns(gcode)[0])
    return finish(text, cas), 'stat_age', 'number', value, key, meta('stat')


# ---- family 5: time statistics (main race unless named) ---------------------------------------------------
TIME_TPL = {
    'avg': [('ta_avg', 'What was the average finish time at {ev}?', False),
            ('ta_of', 'What was the average time of {subj} at {ev}?', False),
            ('ta_for', 'Average finishing time for {subj} in {ev}', False),
            ('ta_casual', 'avg finish time at {ev}', True)],
    'median': [('tm_med', 'What was the median finish time at {ev}?', False),
               ('tm_for', 'Median time for {subj} at {ev}?', False),
               ('tm_give', 'Give me the median finishing time of {subj} in {ev}', False)],
    'min': [('tw_win', 'What was the winning time at {ev}?', False),
            ('tw_fast', 'What was the fastest time at {ev}?', False),
            ('tw_among', 'What was the fastest time run by {subj} at {ev}?', False),
            ('tw_casual', 'fastest time at {ev}', True)],
    'max': [('tx_slow', 'What was the slowest finish time at {ev}?', False),
            ('tx_last', "What was the last finisher's time at {ev}?", False),
            ('tx_among', 'What was the slowest time among {subj} at {ev}?', False)],
    'pace': [('tp_avg', 'What was the average pace at {ev}?', False),
             ('tp_of', 'Average pace of {subj} at {ev}', False),
             ('tp_mean', 'What was the mean pace of {grp}?', False),
             ('tp_casual', 'avg pace at {ev}', True)]}


def b_time(ctx):
    rng, P = ctx.rng, ctx.P
    stat = rng.choices(['avg', 'median', 'min', 'max', 'pace'], [4, 2, 3, 2, 2])[0]
    ref = ctx.ref(race_p=0.3)
    key, tpl, cas = pick_tpl(rng, TIME_TPL[stat])
    flts = []
    if '{subj}' in tpl:
        flts = sample_filters(ctx, ref, 'fin', n=rng.choice([1, 1, 2]), allowed=['g', 'age', 'state'])
    fs = members(P, ref, 'fin', main=True, flts=flts)
    if not fs:
        raise Skip('empty population')
    kw = kw_of(flts)
    if stat == 'pace':
        kind, value = g.a_pace(P, ref.name, ref.year, ref.race, **kw)
    else:
        kind, value = g.a_tstat(P, ref.name, ref.year, ref.race, stat=stat, **kw)
    text = tpl.format(ev=ref.obj(rng, cas), subj=subj(flts), grp=ref.group(rng, 'finishers', cas))
    intent = 'pace_stat' if stat == 'pace' else 'time_stat'
    return finish(text, cas), intent, kind, value, key, meta('stat')


# ---- family 6: times and counts by group ------------------------------------------------------------------
GROUP_TPL = {
    'avg_g': [('ga_each', 'What was the average finish time for each gender at {ev}?', False),
              ('ga_by', 'Average finish time by gender at {ev}', False),
              ('ga_show', 'Show me the average time per gender in {ev}', False),
              ('ga_casual', 'avg finish time by gender at {ev}', True)],
    'avg_d': [('gd_per', 'Average finish time per age group at {ev}', False),
              ('gd_each', 'What was the average time in each age group at {ev}?', False),
              ('gd_break', 'Break down the average finish time by age group at {ev}', False),
              ('gd_casual', 'average finish time per age group at {ev}', True)],
    'med_g': [('gm_by', 'What was the median finish time by gender at {ev}?', False),
              ('gm_each', 'Median time for each gender at {ev}', False),
              ('gm_give', 'Give me the median finishing time of men and women separately at {ev}', False)],
    'cnt_s': [('gs_per', 'How many finishers per state at {ev}?', False),
              ('gs_came', 'How many finishers came from each state at {ev}?', False),
              ('gs_by', 'Finishers by state at {ev}', False),
              ('gs_casual', 'finishers per state at {ev}', True)],
    'cnt_d': [('gc_each', 'Number of finishers in each age group at {ev}', False),
              ('gc_how', 'How many finishers were there per age group at {ev}?', False),
              ('gc_casual', 'finishers by age group at {ev}', True)],
    'cnt_g': [('gg_mw', 'How many {genders} finished {ev}?', False),
              ('gg_per', 'How many finishers per gender at {ev}?', False),
              ('gg_break', 'Give me the gender breakdown of the finishers at {ev}', False)]}


def b_group(ctx):
    rng, P = ctx.rng, ctx.P
    what = rng.choices(['avg_g', 'avg_d', 'med_g', 'cnt_s', 'cnt_d', 'cnt_g'], [3, 2, 2, 2, 1, 2])[0]
    ref = ctx.ref(race_p=0.3)
    key, tpl, cas = pick_tpl(rng, GROUP_TPL[what])
    genders = ''
    if what.startswith('cnt'):
        col = {'cnt_s': 'state', 'cnt_d': 'division', 'cnt_g': 'gender'}[what]
        kind, value = g.a_breakdown(P, ref.name, ref.year, ref.race, key=col)
        intent = 'breakdown'
        if what == 'cnt_g':
            genders = 'men, women and non-binary runners' if 'X' in value else 'men and women'
            if key == 'gg_mw' and len(value) < 2:
                raise Skip('a single gender')
    else:
        col = 'gender' if what in ('avg_g', 'med_g') else 'division'
        by = collections.defaultdict(list)
        for p in members(P, ref, 'fin', main=True):
            by[p[col]].append(p['time'])
        if what == 'med_g':
            value = {k: median_ms(v) for k, v in sorted(by.items())}
            if key == 'gm_give' and sorted(value) != ['F', 'M']:
                raise Skip('not exactly men and women')
        else:
            value = {k: round(sum(v) / len(v)) for k, v in sorted(by.items())}
        kind, intent = 'mapping_time', 'time_stat_by'
    if not value:
        raise Skip('empty population')
    text = tpl.format(ev=ref.obj(rng, cas), genders=genders)
    return finish(text, cas), intent, kind, value, key, meta('stat')


# ---- family 7: n-th place ---------------------------------------------------------------------------------
NTH_TPL = [('n_fin', 'Who finished {ord} at {ev}?', False, False),
           ('n_came', 'Who came {ord} in {ev}?', False, False),
           ('n_placed', 'Who placed {ord} at {ev}?', False, False),
           ('n_place', 'Who was the {ord}-place finisher at {ev}?', False, False),
           ('n_among', 'Who was {ord} among {gnoun} at {ev}?', False, True),
           ('n_fastest', 'Who was the {ord} fastest {gone} at {ev}?', False, True),
           ('n_casual', 'who finished {ord} in {ev}', True, False)]
RUNNER_UP_TPL = [('ru_who', 'Who was the runner-up at {ev}?', False, False),
                 ('ru_g', "Who was the {gposs} runner-up at {ev}?", False, True)]


def b_nth(ctx):
    rng, P = ctx.rng, ctx.P
    ref = ctx.ref(race_p=0.25)
    n = rng.choice([2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 10, 10])
    tpls = NTH_TPL + (RUNNER_UP_TPL if n == 2 else [])
    key, tpl, cas, gendered = pick_tpl(rng, tpls)
    gcode = rng.choice(['F', 'M']) if gendered else None
    fs = g.ranked(members(P, ref, 'fin', main=True, g=gcode) if gcode else members(P, ref, 'fin', main=True))
    if len(fs) < n:
        raise Skip('fewer finishers than the place')
    ts = [g.rank_time(p) for p in fs[:n + 1]]
    if len(set(ts)) < len(ts):
        raise Skip('tie at or before the place')
    text = tpl.format(ord=rng.choice(ORDINALS[n]), ev=ref.obj(rng, cas), gnoun=gender_nouns(gcode)[0],
                      gone=gender_nouns(gcode)[1], gposs={'F': "women's", 'M': "men's", None: ''}[gcode])
    return finish(text, cas), 'nth_place', 'name', fs[n - 1]['name'], key, meta('person')


# ---- family 8: the top N as a population ------------------------------------------------------------------
TOPN_TPL = [('tn_of', 'How many of the top {N} finishers at {ev} were {pred}?', False),
            ('tn_in', 'How many {subj} were in the top {N} at {ev}?', False),
            ('tn_among', 'Number of {subj} among the top {N} finishers of {ev}', False),
            ('tn_first', 'Of the first {N} finishers at {ev}, how many were {pred}?', False),
            ('tn_casual', 'how many of the top {N} at {ev} were {pred}', True)]


def b_topn(ctx):
    rng, P = ctx.rng, ctx.P
    ref = ctx.ref(race_p=0.2)
    fs = g.ranked(members(P, ref, 'fin', main=True))
    sizes = [n for n in (10, 20, 25, 50, 100) if len(fs) > n]
    if not sizes:
        raise Skip('too few finishers for a top N')
    N = rng.choice(sizes)
    if g.rank_time(fs[N - 1]) == g.rank_time(fs[N]):
        raise Skip('tie at the top-N boundary')
    flts = sample_filters(ctx, ref, 'fin', n=rng.choice([1, 1, 1, 2]), allowed=['g', 'age', 'state'])
    kw = kw_of(flts)
    n = len(g.fil(fs[:N], **kw))
    if n == 0:
        raise Skip('empty population')
    key, tpl, cas = pick_tpl(rng, TOPN_TPL)
    text = tpl.format(N=N, ev=ref.obj(rng, cas), pred=pred(flts), subj=subj(flts))
    who = {'tn_in': subj(flts), 'tn_among': subj(flts), 'tn_of': f'top {N} finishers',
           'tn_first': f'first {N} finishers'}.get(key)
    return finish(text, cas), 'count_finishers', 'count', n, key, meta('people', who)


# ---- family 9: whole years over all events ----------------------------------------------------------------
YEAR_TPL = {
    'fin': [('y_our', 'How many {subj} finished our races in {Y}?', False),
            ('y_one', 'How many {subj} finished one of our {Y} races?', False),
            ('y_have', 'How many finishers did we have in {Y}?', False),
            ('y_total', 'Total number of {subj} who finished any of our events in {Y}', False),
            ('y_casual', 'how many {subj} finished our races in {Y}', True)],
    'all': [('ya_reg', 'How many {psubj} registered for our events in {Y}?', False),
            ('ya_signed', 'How many {psubj} signed up for our races in {Y}?', False),
            ('ya_ent', 'Number of entrants across all our events in {Y}', False)],
    'start': [('ys_start', 'How many {subj} started our races in {Y}?', False)],
    'dnf': [('yd_dnf', 'How many DNFs did we have in {Y}?', False),
            ('yd_casual', 'total dnfs in {Y}', True)]}
ZERO_YEAR_TPL = [('yz_have', 'How many finishers did we have in {Y}?', False),
                 ('yz_our', 'How many runners finished our races in {Y}?', False),
                 ('yz_reg', 'How many people registered for our events in {Y}?', False),
                 ('yz_show', 'Show me our events in {Y}', False),
                 ('yz_this', 'How many people ran our races this year?', False)]


def b_year(ctx):
    rng, P = ctx.rng, ctx.P
    if rng.random() < 0.2:                                              # a year without events
        empty = [y for y in range(2015, THIS_YEAR + 1) if y not in ctx.years]
        key, tpl, cas = pick_tpl(rng, ZERO_YEAR_TPL)
        if key == 'yz_this':
            if THIS_YEAR in ctx.years:
                raise Skip('events this year')
            y = THIS_YEAR
        else:
            y = rng.choice(empty)
        assert not year_rows(P, y) and not any(e['event_date'][:4] == str(y) for e in P.events)
        intent = 'list_events' if key == 'yz_show' else 'count_participants' if key in ('yz_reg', 'yz_this') \
            else 'count_finishers'
        return tpl.format(Y=y), intent, 'zero_or_refuse', None, key, meta('zero')
    st = rng.choices(['fin', 'all', 'start', 'dnf'], [6, 3, 1, 1])[0]
    key, tpl, cas = pick_tpl(rng, YEAR_TPL[st])
    y = rng.choice(ctx.years)
    ly = y == LY and rng.random() < 0.3
    flts = []
    if '{subj}' in tpl or '{psubj}' in tpl:
        flts = sample_filters(ctx, None, st, n=rng.choice([0, 1, 1]), allowed=['g', 'age', 'state'],
                              pool=year_rows(P, y))
    kw = kw_of(flts)
    n = len(g.fil(year_rows(P, y), st, **kw))
    if n == 0:
        raise Skip('empty population')
    text = tpl.format(Y=y, subj=subj(flts), psubj=subj(flts, 'people'))
    who = subj(flts) if '{subj}' in tpl else subj(flts, 'people') if '{psubj}' in tpl else None
    if ly:
        text = text.replace(f'in {y}', 'last year').replace(f'our {y} races', "last year's races")
    intent = {'fin': 'count_finishers', 'all': 'count_participants', 'start': 'count_participants',
              'dnf': 'count_status'}[st]
    return finish(text, cas), intent, 'count', n, key, meta('people', who)


# ---- family 10: sums and differences across editions ------------------------------------------------------
SUM_TPL = [('su_together', 'How many {subj} finished {ev} in {y1} and {y2} together?', False),
           ('su_combined', 'What was the combined number of finishers at {ev} in {y1} and {y2}?', False),
           ('su_total', 'Total finishers of {ev} in {y1} and {y2} combined', False),
           ('su_casual', 'finishers at {ev} in {y1} and {y2} combined', True)]
DIFF_TPL = [('di_more', 'How many {more} {subj_f} did {ev} have in {y1} than in {y2}?', False),
            ('di_fin', 'How many {more} {subj} finished {ev} in {y1} than in {y2}?', False),
            ('di_reg', 'How many {more} people registered for {ev} in {y1} than in {y2}?', False),
            ('di_casual', 'how many {more} finishers did {ev} have in {y1} than {y2}', True)]


def edition_count(P, name, year, race, st, kw):
    races = P.scope(name, year, race)
    if not races:
        raise Skip('edition or race missing')
    return len(g.fil(P.rows(races), st, **kw))


def b_sumdiff(ctx):
    rng, P = ctx.rng, ctx.P
    name, eds = ctx.event_with_editions(2, 'a single edition')
    y1, y2 = sorted(rng.sample(eds, 2), reverse=True)
    ed = P.edition(name, y1)
    race = None
    if len(P.races_of(ed)) > 1 and rng.random() < 0.3:
        race = RACE_OF_DIST[rng.choice(sorted(r['distance_m'] for r in P.races_of(ed)))]
    ref = Ref(name, None, race)
    gcode = rng.choice([None, None, None, 'F', 'M'])
    if rng.random() < 0.45:
        key, tpl, cas = pick_tpl(rng, SUM_TPL)
        if key != 'su_together':
            gcode = None
        kw = {'g': gcode} if gcode else {}
        a, b = (edition_count(P, name, y, race, 'fin', kw) for y in (y2, y1))
        if not a or not b:
            raise Skip('empty edition')
        who = gender_nouns(gcode)[0] if gcode else rng.choice(['people', 'runners'])
        text = tpl.format(subj=who, ev=ref.obj(rng, cas), y1=y2, y2=y1)
        who = who if '{subj}' in tpl else None
        return finish(text, cas), 'count_finishers', 'count', a + b, key, meta('people', who)
    key, tpl, cas = pick_tpl(rng, DIFF_TPL)
    if key not in ('di_fin',):
        gcode = None
    st = 'all' if key == 'di_reg' else 'fin'
    kw = {'g': gcode} if gcode else {}
    if rng.random() < 0.5:
        y1, y2 = y2, y1                         # sometimes the earlier year first
    a, b = (edition_count(P, name, y, race, st, kw) for y in (y1, y2))
    if not a or not b:
        raise Skip('empty edition')
    if a == b:
        raise Skip('no difference')
    more = 'more' if a > b else 'fewer'
    who = gender_nouns(gcode)[0] if gcode else 'runners'
    text = tpl.format(more=more, subj=who, subj_f='finishers', ev=ref.obj(rng, cas), y1=y1, y2=y2)
    who = {'di_fin': who, 'di_more': 'finishers', 'di_casual': 'finishers'}.get(key)
    return finish(text, cas), 'compare', 'count', abs(a - b), key, meta('people', who)


# ---- family 11: comparisons -------------------------------------------------------------------------------
CMP_YEAR_TPL = [('cy_compared', 'How many finishers did {ev} have in {y1} compared with {y2}?', False),
                ('cy_compare', 'Compare the number of finishers at {ev} in {y1} and {y2}', False),
                ('cy_vs', '{ev} finishers: {y1} vs {y2}', False),
                ('cy_versus', 'Finishers at {ev} in {y1} versus {y2}?', False),
                ('cy_casual', 'finishers at {ev}, {y1} vs {y2}', True)]
CMP_GENDER_TPL = [('cg_compare', 'Compare the average finish time of men and women at {ev}', False),
                  ('cg_how', "How did men's and women's average times compare at {ev}?", False),
                  ('cg_wm', 'Average finish time of women versus men at {ev}?', False),
                  ('cg_casual', 'avg finish time men vs women at {ev}', True)]


def b_compare(ctx):
    rng, P = ctx.rng, ctx.P
    if rng.random() < 0.55:
        name, eds = ctx.event_with_editions(2, 'a single edition')
        y1, y2 = sorted(rng.sample(eds, 2))
        if rng.random() < 0.3:
            y1, y2 = y2, y1
        ed = P.edition(name, y1)
        race = None
        if len(P.races_of(ed)) > 1 and rng.random() < 0.25:
            race = RACE_OF_DIST[rng.choice(sorted(r['distance_m'] for r in P.races_of(ed)))]
        ref = Ref(name, None, race)
        value = {str(y): edition_count(P, name, y, race, 'fin', {}) for y in (y1, y2)}
        if not all(value.values()):
            raise Skip('empty edition')
        key, tpl, cas = pick_tpl(rng, CMP_YEAR_TPL)
        text = tpl.format(ev=ref.obj(rng, cas), y1=y1, y2=y2)
        return finish(text, cas), 'compare', 'mapping', value, key, meta('stat')
    ref = ctx.ref(race_p=0.25)
    value = {}
    for gc in ('M', 'F'):
        ts = [p['time'] for p in members(P, ref, 'fin', main=True, g=gc)]
        if not ts:
            raise Skip('no men or no women')
        value[gc] = round(sum(ts) / len(ts))
    key, tpl, cas = pick_tpl(rng, CMP_GENDER_TPL)
    # genders side by side are a grouping of the time by gender (examples-2's time_stat_by), not a comparison
    return finish(tpl.format(ev=ref.obj(rng, cas)), cas), 'time_stat_by', 'mapping_time', value, key, meta('stat')


# ---- family 12: trends ------------------------------------------------------------------------------------
TREND_TPL = {
    'fin': [('tr_each', 'How many finishers did {ev} have each year?', False),
            ('tr_per', 'Finishers per year at {ev}', False),
            ('tr_show', 'Show me the number of finishers at {ev} by year', False),
            ('tr_changed', 'How has the number of finishers at {ev} changed over the years?', False),
            ('tr_casual', 'year by year finishers at {ev}', True)],
    'all': [('tra_reg', 'How many people registered for {ev} each year?', False),
            ('tra_ent', 'Entrants per year at {ev}', False)]}


def b_trend(ctx):
    rng, P = ctx.rng, ctx.P
    name, eds = ctx.event_with_editions(2, 'a single edition')
    race = None
    ed = P.edition(name)
    if len(P.races_of(ed)) > 1 and rng.random() < 0.25:
        race = RACE_OF_DIST[rng.choice(sorted(r['distance_m'] for r in P.races_of(ed)))]
    st = rng.choices(['fin', 'all'], [4, 1])[0]
    value = {}
    for y in eds:
        if not P.scope(name, y, race):
            raise Skip('race missing in an edition')
        value[str(y)] = edition_count(P, name, y, race, st, {})
    if not all(value.values()):
        raise Skip('empty edition')
    key, tpl, cas = pick_tpl(rng, TREND_TPL[st])
    text = tpl.format(ev=Ref(name, None, race).obj(rng, cas))
    return finish(text, cas), 'trend', 'mapping', value, key, meta('stat')


# ---- family 12b: spans of years ----------------------------------------------------------------------------
# The editions within a span (both ends included; "since" runs to the corpus's today, 2026), one count each,
# or their sum when the question says "in total".
SPAN_TPL = [('sp_from', 'How many finishers did {ev} have from {a} to {b}?', False),
            ('sp_between', 'How many runners finished {ev} between {a} and {b}?', False),
            ('sp_dash', 'Finishers at {ev}, {a}-{b}', False),
            ('sp_since', 'How many finishers has {ev} had since {a}?', False),
            ('sp_through', 'finishers at {ev} {a} through {b}', True),
            ('sp_last', 'How many finishers did {ev} have in its last {n} editions?', False)]
SPAN_SUM_TPL = [('sp_total', 'How many runners finished {ev} in total from {a} to {b}?', False),
                ('sp_total_since', 'How many people have finished {ev} since {a} in total?', False)]
TODAY_YEAR = 2026


def b_span(ctx):
    rng, P = ctx.rng, ctx.P
    name, eds = ctx.event_with_editions(3, 'fewer than three editions')
    total = rng.random() < 0.3
    key, tpl, cas = pick_tpl(rng, SPAN_SUM_TPL if total else SPAN_TPL)
    i = rng.randrange(0, len(eds) - 1)
    j = rng.randrange(i + 1, len(eds))
    a, b = eds[i], eds[j]
    n = 0
    if '{b}' not in tpl and key != 'sp_last':      # "since a": to today
        b = TODAY_YEAR
    if key == 'sp_last':
        n = rng.randrange(2, len(eds) + 1)
        a, b = eds[-n], eds[-1]
    if rng.random() < 0.3 and '{b}' in tpl:        # a span that starts or ends between editions
        a -= 1
    years = [y for y in eds if a <= y <= b]
    if len(years) < 2:
        raise Skip('one edition in the span')
    value = {str(y): edition_count(P, name, y, None, 'fin', {}) for y in years}
    if not all(value.values()):
        raise Skip('empty edition')
    text = tpl.format(ev=Ref(name, None, None).obj(rng, cas), a=a, b=b, n=n)
    if total:
        return finish(text, cas), 'count_finishers', 'count', sum(value.values()), key, meta('people')
    return finish(text, cas), 'compare', 'mapping', value, key, meta('stat')


# ---- family 13: events ------------------------------------------------------------------------------------
EV_STATE_TPL = [('es_held', 'Which events did we hold in {S}?', False),
                ('es_show', 'Show me our events in {S}{yr}', False),
                ('es_what', 'What events did we have in {S}{yr}?', False),
                ('es_list', 'List our events in {S}{yr}', False),
                ('es_casual', 'events in {S}{yr}', True)]
EV_YEAR_TPL = [('ey_show', 'Show me our events in {Y}', False),
               ('ey_list', 'List our events from {Y}', False),
               ('ey_time', 'What events did we time in {Y}?', False),
               ('ey_month', 'List our events in {M} {Y}', False),
               ('ey_casual', 'which events did we have in {Y}', True)]
EV_RANK_TPL = [('er_most', 'Which event had the {most} {who} in {Y}?', False),
               ('er_biggest', 'Which of our {Y} events had the {most} {who}?', False),
               ('er_drew', 'What event drew the {most} {who} in {Y}?', False),
               ('er_casual', 'event with the {most} {who} in {Y}', True)]
MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
          'November', 'December']


def b_events(ctx):
    rng, P = ctx.rng, ctx.P
    mode = rng.choices(['state', 'year', 'rank'], [3, 3, 4])[0]
    if mode == 'state':
        states = sorted({e['state'] for e in P.events if e['state'] in EVENT_STATE_NAMES})
        if not states:
            raise Skip('no named state')
        s = rng.choice(states)
        key, tpl, cas = pick_tpl(rng, EV_STATE_TPL)
        year = rng.choice(ctx.years) if key != 'es_held' and rng.random() < 0.4 else None
        n = sum(e['state'] == s and (year is None or e['event_date'][:4] == str(year)) for e in P.events)
        if n == 0:
            raise Skip('empty population')
        text = tpl.format(S=EVENT_STATE_NAMES[s], yr=f' in {year}' if year else '')
        return finish(text, cas), 'list_events', 'row_count', n, key, meta('stat')
    if mode == 'year':
        key, tpl, cas = pick_tpl(rng, EV_YEAR_TPL)
        y = rng.choice(ctx.years)
        month = None
        if key == 'ey_month':
            month = rng.choice(sorted({int(e['event_date'][5:7]) for e in P.events if e['event_date'][:4] == str(y)}))
        kind, n = g.a_events(P, year=y, month=month)
        if n == 0:
            raise Skip('empty population')
        text = tpl.format(Y=y, M=MONTHS[month - 1] if month else '')
        return finish(text, cas), 'list_events', kind, n, key, meta('stat')
    key, tpl, cas = pick_tpl(rng, EV_RANK_TPL)
    y = rng.choice(ctx.years)
    fewest = rng.random() < 0.3
    st = rng.choice(['fin', 'fin', 'all'])
    c = sorted(((len(g.fil(P.rows(P.races_of(e)), st)), e['event_name']) for e in P.events
                if e['event_date'][:4] == str(y)), reverse=not fewest)
    if not c:
        raise Skip('no events that year')
    if len(c) > 1 and c[0][0] == c[1][0]:
        raise Skip('tie between events')
    who = 'finishers' if st == 'fin' else rng.choice(['entrants', 'registrations'])
    text = tpl.format(most='fewest' if fewest else 'most', who=who, Y=y)
    return finish(text, cas), 'ranking_events', 'event_name', c[0][1], key, meta('stat')


# ---- family 14: winners and top lists ---------------------------------------------------------------------
WIN_TPL = [('w_won', 'Who won {ev}?', False, None),
           ('w_overall', 'Who was the overall winner of {ev}?', False, None),
           ('w_race', "Who won the {gposs} race at {ev}?", False, 'g'),
           ('w_fastest', 'Who was the fastest {gone} at {ev}?', False, 'g'),
           ('w_first', 'Who took first place among {gnoun} at {ev}?', False, 'g'),
           ('w_masters', 'Who was the fastest masters runner at {ev}?', False, 'masters'),
           ('w_last', 'Who finished last at {ev}?', False, 'last'),
           ('w_slowest', 'Who was the slowest finisher at {ev}?', False, 'last'),
           ('w_casual', 'winner of {ev}', True, None)]
TOP_TPL = [('tl_show', 'Show me the top {n} finishers of {ev}', False, None),
           ('tl_list', 'List the {nw} fastest {gnoun} at {ev}', False, 'g'),
           ('tl_who', 'Who were the top {n} {gnoun} at {ev}?', False, 'g'),
           ('tl_slow', 'Give me the {n} slowest finishers at {ev}', False, 'slow'),
           ('tl_casual', 'top {n} at {ev}', True, None)]


def b_winner(ctx):
    rng, P = ctx.rng, ctx.P
    ref = ctx.ref(race_p=0.3)
    if rng.random() < 0.55:
        key, tpl, cas, extra = pick_tpl(rng, WIN_TPL)
        gcode = rng.choice(['F', 'M']) if extra == 'g' else None
        if extra == 'last':
            fs = g.ranked(members(P, ref, 'fin', main=True))
            if not fs or len(fs) > 1 and g.rank_time(fs[-1]) == g.rank_time(fs[-2]):
                raise Skip('tie for last' if fs else 'empty population')
            r = ('name', fs[-1]['name'])
        else:
            kw = {'g': gcode} if gcode else ({'age': (40, 200)} if extra == 'masters' else {})
            r = g.a_winner(P, ref.name, ref.year, ref.race, **kw)
        if r is None:
            raise Skip('tie for first or empty population')
        text = tpl.format(ev=ref.obj(rng, cas), gposs={'F': "women's", 'M': "men's"}.get(gcode, ''),
                          gone=gender_nouns(gcode)[1], gnoun=gender_nouns(gcode)[0])
        intent = 'extreme_person' if extra == 'last' else 'winner'  # the last finisher is the slowest, not a winner
        return finish(text, cas), intent, r[0], r[1], key, meta('person')
    key, tpl, cas, extra = pick_tpl(rng, TOP_TPL)
    n = rng.choice([3, 3, 5, 5, 10])
    gcode = rng.choice(['F', 'M']) if extra == 'g' else None
    kw = {'g': gcode} if gcode else {}
    names = key == 'tl_who' and rng.random() < 0.5
    r = g.a_top(P, ref.name, ref.year, ref.race, n=n, slow=extra == 'slow', names=names, **kw)
    if r is None:
        raise Skip('too few finishers or tied names')
    text = tpl.format(ev=ref.obj(rng, cas), n=n, nw=NUMBER_WORDS.get(n, n) if rng.random() < 0.5 else n,
                      gnoun=gender_nouns(gcode)[0] if gcode else 'finishers')
    return finish(text, cas), 'top_finishers', r[0], r[1], key, meta('people')


# ---- family 15: pace bounds and groups ranked (ties kept) ----------------------------------------------------
PACE_TPL = [('pb_under', 'How many runners finished {ev} under {m} minutes per mile?', False),
            ('pb_pace', 'How many finishers had a pace under {m}:00 per mile at {ev}?', False),
            ('pb_km', 'How many runners finished {ev} faster than {m}:00 per km?', False),
            ('pb_casual', 'how many finished {ev} under {m} min/mile', True)]
RANK_TPL = [('rk_state', 'Which state had the most finishers at {ev}?', False),
            ('rk_team', 'Which team had the most finishers at {ev}?', False),
            ('rk_div_few', 'Which age group had the fewest finishers at {ev}?', False),
            ('rk_div_avg', 'Which age group had the fastest average time at {ev}?', False)]


def b_pace_rank(ctx):
    rng, P = ctx.rng, ctx.P
    ref = ctx.ref(race_p=0.3)
    if rng.random() < 0.4:
        # a pace bound holds across distances: every race of the edition (or the race named), the stored pace
        key, tpl, cas = pick_tpl(rng, PACE_TPL)
        m = rng.choice([4, 5, 6, 7]) if key == 'pb_km' else rng.choice([7, 8, 9, 10, 11, 12])
        bound = m * 60000 if key == 'pb_km' else m * 60000 * 1000 / 1609.344
        n = sum(1 for p in members(P, ref, 'fin') if p['pace'] is not None and p['pace'] < bound)
        if n == 0:
            raise Skip('empty population')
        return finish(tpl.format(ev=ref.obj(rng, cas), m=m), cas), 'count_finishers', 'count', n, key, meta('people')
    key, tpl, cas = pick_tpl(rng, RANK_TPL)
    if key == 'rk_div_avg':
        # the main race's finishers (times read the main race), each division's rounded average
        by = collections.defaultdict(list)
        for p in members(P, ref, 'fin', main=True):
            if p['division']:
                by[p['division']].append(p['time'])
        if not by:
            raise Skip('empty population')
        avg = {d: round(sum(ts) / len(ts)) for d, ts in by.items()}
        best = min(avg.values())
        return (finish(tpl.format(ev=ref.obj(rng, cas)), cas), 'time_stat_by', 'mapping_time',
                {d: v for d, v in avg.items() if v == best}, key, meta('stat'))
    field = {'rk_state': 'state', 'rk_team': 'team', 'rk_div_few': 'division'}[key]
    counts = collections.Counter(p[field] for p in members(P, ref, 'fin') if p[field])
    if not counts:
        raise Skip('empty population')
    edge = min(counts.values()) if key == 'rk_div_few' else max(counts.values())
    tied = {k: v for k, v in counts.items() if v == edge}
    if len(tied) > 6:
        raise Skip('too many tied groups to read')
    return finish(tpl.format(ev=ref.obj(rng, cas)), cas), 'breakdown', 'mapping', tied, key, meta('stat')


# ---- family 16: a number of groups ranked by their count; the year with the fastest winner -------------------
# Both answers are exact: the groups asked for (and any tied with the last of them), nothing more; the
# year (or years tied) whose winning time ranks first, not every year's.
TOPG_TPL = [('tg_state', 'What are the top {n} states by number of finishers at {ev}?', False, 'state'),
            ('tg_div', 'Which {n} age groups had the most finishers at {ev}?', False, 'division'),
            ('tg_city', 'top {n} cities by finishers at {ev}', True, 'city'),
            ('tg_team', 'Show the top {n} teams by finishers at {ev}', False, 'team'),
            ('tg_div_big', 'What were the {n} biggest age groups at {ev}?', False, 'division')]
YEARW_TPL = [('yw_fast', 'Which year had the fastest winning time at {ev}?', False, None),
             ('yw_slow', 'Which year had the slowest winning time at {ev}?', False, 'slow'),
             ('yw_quick', 'What year had the quickest winner at {ev}?', False, None),
             ('yw_gender', "Which year had the fastest {gposs} winner at {ev}?", False, 'g')]


def b_group_rank(ctx):
    rng, P = ctx.rng, ctx.P
    if rng.random() < 0.55:
        ref = ctx.ref(race_p=0.2)
        key, tpl, cas, field = pick_tpl(rng, TOPG_TPL)
        n = rng.choice([2, 3, 3, 5])
        # "the biggest": every registered entry; otherwise finishers
        counts = collections.Counter(p[field] for p in members(P, ref, 'all' if key == 'tg_div_big' else 'fin') if p[field])
        if len(counts) <= n:
            raise Skip('no more groups than asked for')
        edge = sorted(counts.values(), reverse=True)[n - 1]
        value = {k: v for k, v in counts.items() if v >= edge}
        if len(value) > n + 3:
            raise Skip('too many tied groups to read')
        return finish(tpl.format(ev=ref.obj(rng, cas), n=n), cas), 'breakdown', 'mapping_exact', value, key, meta('stat')
    name, eds = ctx.event_with_editions(2, 'a single edition')
    key, tpl, cas, extra = pick_tpl(rng, YEARW_TPL)
    gcode = rng.choice(['F', 'M']) if extra == 'g' else None
    wins = {}
    for y in eds:
        ts = [p['time'] for p in members(P, Ref(name, y), 'fin', main=True, **({'g': gcode} if gcode else {}))]
        if not ts:
            raise Skip('an edition without finishers')
        wins[str(y)] = min(ts)
    best = max(wins.values()) if extra == 'slow' else min(wins.values())
    value = {y: t for y, t in wins.items() if t == best}
    text = tpl.format(ev=Ref(name, None, None).obj(rng, cas), gposs={'F': "women's", 'M': "men's"}.get(gcode, ''))
    return finish(text, cas), 'time_stat_by', 'mapping_time_exact', value, key, meta('stat')


FAMILIES = [  # (family, builder, questions per partner)
    ('counts', b_count, 26), ('distinct', b_distinct, 5), ('shares', b_share, 9), ('age', b_age, 8),
    ('time_stats', b_time, 9), ('time_by_group', b_group, 6), ('nth_place', b_nth, 7), ('top_n_counted', b_topn, 4),
    ('whole_year', b_year, 6), ('sums_diffs', b_sumdiff, 6), ('comparisons', b_compare, 4), ('trends', b_trend, 3),
    ('year_spans', b_span, 4),
    ('events', b_events, 6), ('winners_top', b_winner, 8), ('pace_rank', b_pace_rank, 6), ('group_rank', b_group_rank, 4)]


# ---- traps ------------------------------------------------------------------------------------------------
# Each clause asks for something no table holds (contact details, money, gear, body, weather, the future) or
# for a write; a question carrying one must be refused, never answered without it.
# appended to a question about a group of people
APPEND_GROUP = [', and what were their email addresses?', ', and what were their phone numbers?',
                ', including their home addresses', ', and what is their payment status?',
                ', sorted by their shoe brand', ', and how much prize money did they win?',
                ', and what are their credit card numbers?', ', and their t-shirt sizes',
                ', and their Instagram handles', ', and which of them are vegetarian?']
# appended to a question about one person
APPEND_PERSON = [', and what is their email address?', ', and what is their phone number?',
                 ', and how much prize money did they win?', ', including their home address',
                 ', and what shoe brand did they wear?', ', and what is their blood type?',
                 ', and who is their employer?']
# appended to any question (a measure, unit or grouping nothing stores)
APPEND_ANY = [' in kilograms', ', by shoe size', ', weighted by heart rate', ', broken down by temperature',
              ' on Strava', ' per hour of sleep', ', by their favourite colour', ', adjusted for wind speed',
              ', by marital status', ', grouped by shoe brand', ' per dollar of entry fee']
# the future: only where the question names no year and is not about the calendar (a list of next year's
# events, or a count of them, is a fair question the data can answer with nothing)
APPEND_FUTURE = [' next year']
NO_FUTURE_FAMILIES = {'events', 'trends', 'comparisons', 'whole_year', 'year_spans'}
# inserted right after the subject phrase ('How many women <clause> finished ...')
INSERT = [' with a gmail address', ' wearing red', ' who ran barefoot', ' who wore Nike shoes',
          ' over six feet tall', ' with a heart rate above 160', ' who paid by credit card',
          ' who listened to music', ' with a VIP package', ' who ran with a dog', ' who skipped breakfast']
# whole questions: predictions and writes ({evn}: the bare event name)
STANDALONE = [
    'Who will win {ev} next year?', 'Predict the winning time at {ev} in 2027',
    'Predict how many runners will finish {ev} next year', 'Delete all DNF results from {ev}',
    "Change bib {bib}'s time at {ev} to 30 minutes", "Update {name}'s finish time at {ev} to 2:00:00",
    'Remove {name} from the {evn} results', "Set every finisher's time at {ev} to 1 hour",
    'Email all {evn} finishers their certificates', 'Add a runner named Pat Smith to {ev}',
    'What will the average finish time be at {ev} in 2027?', 'How many people will register for {ev} next year?']


def perturb(question, clause, subject=None):
    """Append clause to question, or (subject given) insert it right after the subject phrase."""
    end = '?' if question.endswith('?') else ''
    q = question.rstrip('?.')
    casual = q == q.lower()
    if casual:
        clause = clause.lower()
    if subject is not None:
        i = q.lower().find(subject.lower())
        if i < 0:
            return None
        j = i + len(subject)
        if j < len(q) and q[j].isalnum():
            return None
        return q[:j] + clause + q[j:] + end
    if clause.endswith('?'):
        return q + (clause if not casual else clause.rstrip('?'))
    return q + clause + end


def make_traps(out, partners):
    """Perturb corpus questions (20 distinct bases per partner, every family) and add predictions and writes."""
    rows = []
    seen = {(r[0], r[1].lower()) for r in out.rows}
    by_partner = collections.defaultdict(list)
    for r in out.rows:
        if r[3] != 'zero_or_refuse':
            by_partner[r[0]].append(r)
    bases_used = set()
    clauses_used = collections.Counter()
    for slug in sorted(by_partner):
        rng = random.Random(f'{SEED}:{slug}:traps')
        cands = by_partner[slug][:]
        rng.shuffle(cands)
        # one base from each family first, then a second from each, ..., so every family is perturbed
        nth_of_family, seen_fam = [], collections.Counter()
        for r in cands:
            nth_of_family.append(seen_fam[r[5]])
            seen_fam[r[5]] += 1
        cands = [r for _, _, r in sorted(zip(nth_of_family, range(len(cands)), cands), key=lambda x: x[:2])]
        made = 0
        for base in cands:
            if made >= 20:
                break
            question, fam, info = base[1], base[5], base[6]
            options = [(c, None) for c in APPEND_ANY]
            if info['who'] == 'people':
                options += [(c, None) for c in APPEND_GROUP]
            if info['who'] == 'person':
                options += [(c, None) for c in APPEND_PERSON]
            if info['subj']:
                options += [(c, info['subj']) for c in INSERT]
            if fam not in NO_FUTURE_FAMILIES and not re.search(r'\b(19|20)\d\d\b|year', question):
                options += [(c, None) for c in APPEND_FUTURE]
            # the clauses used least so far first, so that all of them appear
            options.sort(key=lambda o: (clauses_used[o[0]], rng.random()))
            k = 2 if made < 8 else 1
            for clause, subject in options[:k]:
                t = perturb(question, clause, subject)
                if t is None or (slug, t.lower()) in seen:
                    continue
                seen.add((slug, t.lower()))
                rows.append((slug, t, fam))
                clauses_used[clause] += 1
                bases_used.add((slug, question))
            made += 1
        P = partners[slug]
        for tpl in rng.sample(STANDALONE, 5):
            name = rng.choice(sorted(P.names))
            ed = P.edition(name)
            p = rng.choice(sorted(g.fil(P.rows(P.races_of(ed))), key=lambda p: p['participant_id']))
            t = tpl.format(ev=Ref(name).obj(rng), evn=name, bib=p['bib'], name=p['name'])
            t = t[0].upper() + t[1:]
            if (slug, t.lower()) not in seen:
                seen.add((slug, t.lower()))
                rows.append((slug, t, 'standalone'))
                clauses_used[tpl] += 1
    return rows, bases_used, clauses_used


# ---- main -------------------------------------------------------------------------------------------------
def write_tsv(path, rows):
    with open(path, 'w', newline='') as f:
        f.write('partner\tquestion\tintent\texpected\n')
        for slug, question, intent, kind, value in rows:
            f.write('\t'.join((slug, question, intent, json.dumps({'kind': kind, 'value': value}))) + '\n')


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)
    db.row_factory = sqlite3.Row
    partners = {slug: g.Partner(db, pid, slug) for pid, slug in
                db.execute('SELECT timing_partner_id, slug FROM timing_partners ORDER BY timing_partner_id')}
    corpus_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, 'corpus.tsv')
    traps_path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(HERE, 'traps.tsv')

    out = Out()
    for slug, P in partners.items():
        for fam, builder, target in FAMILIES:
            run(Ctx(P, fam), out, target, builder)
    traps, bases, clauses = make_traps(out, partners)

    write_tsv(corpus_path, [r[:5] for r in out.rows])
    write_tsv(traps_path, [(slug, t, '', 'refuse', None) for slug, t, _ in traps])

    fams = [f for f, _, _ in FAMILIES]
    by_fam = collections.Counter(r[5] for r in out.rows)
    print(f'{len(out.rows)} questions -> {corpus_path}')
    print('per family: ' + ', '.join(f'{f} {by_fam[f]} ({len(out.wordings[f])} wordings)' for f in fams))
    print('per partner: ' + ', '.join(f'{k} {v}' for k, v in sorted(collections.Counter(
        r[0] for r in out.rows).items())))
    print('per kind: ' + ', '.join(f'{k} {v}' for k, v in sorted(collections.Counter(
        r[3] for r in out.rows).items())))
    print(f'skipped ({sum(out.skips.values())}, plus {out.dups} duplicate wordings):')
    for fam in fams:
        reasons = {r: n for (f, r), n in out.skips.items() if f == fam}
        if reasons:
            print(f'  {fam}: ' + ', '.join(f'{r} {n}' for r, n in sorted(reasons.items(), key=lambda kv: -kv[1])))
    print(f'{len(traps)} traps -> {traps_path}: {len(bases)} distinct base questions, '
          f'{len(clauses)} distinct clauses / templates, per partner: ' + ', '.join(
              f'{k} {v}' for k, v in sorted(collections.Counter(t[0] for t in traps).items())))

    assert len(out.rows) >= 1100, len(out.rows)
    assert {r[0] for r in out.rows} == set(partners), 'a partner has no questions'
    assert all(len(out.wordings[f]) >= 3 for f in fams), {f: len(out.wordings[f]) for f in fams}
    assert len(traps) >= 250 and len(bases) >= 150 and len(clauses) >= 25


if __name__ == '__main__':
    main()
