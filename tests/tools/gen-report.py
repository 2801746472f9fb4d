#!/usr/bin/env python3
"""gen-report: a known-answer scenario for the reports (issue 19, point 3).

    gen-report.py DIR

writes DIR/events.jsonl (what happened, for tests/tools/report-store.c to
load through the store's own functions), DIR/holidays.txt, DIR/hours.conf
(the [hours] sections) and DIR/expected.json (every report's figures),
computed here independently of the C code: business seconds by walking the
open intervals of each local day with zoneinfo, percentiles by nearest
rank, the clocks by the rules of doc/reports.md and migration 20.

300 conversations over three weeks around Easter 2026 (Good Friday and
Easter Monday are holidays, summer time starts on 29 March), two teams
with different hours, messages on Friday evenings answered on Monday,
customers who wait past their 24-hour window, failed sends with Meta
codes, labels, surveys, priorities and deadlines (due) of every kind.
"""
import datetime as dt
import json
import math
import os
import random
import sys
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
HOLIDAYS = {dt.date(2026, 4, 3): "Karfreitag", dt.date(2026, 4, 6): "Ostermontag"}
HOURS = {"support": (9 * 60, 17 * 60), "billing": (10 * 60, 16 * 60)}
PNID = "106540352242922"
OTHER = "222000000000002"
WINDOW = 24 * 3600
CODES = [131047, 131026, 131051, 130472]


def local(y, m, d, hh=0, mm=0):
    return int(dt.datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp())


FROM = local(2026, 3, 23)
TO = local(2026, 4, 13)
NOW = local(2026, 4, 28, 12)


def business(team, a, b):
    """Business seconds of team in [a, b): each local day's open span."""
    if b <= a:
        return 0
    o, c = HOURS[team]
    day = dt.datetime.fromtimestamp(a, TZ).date() - dt.timedelta(days=1)
    end = dt.datetime.fromtimestamp(b, TZ).date() + dt.timedelta(days=1)
    total = 0
    while day <= end:
        if day.weekday() < 5 and day not in HOLIDAYS:
            s = int(dt.datetime(day.year, day.month, day.day, o // 60,
                                o % 60, tzinfo=TZ).timestamp())
            e = int(dt.datetime(day.year, day.month, day.day, c // 60,
                                c % 60, tzinfo=TZ).timestamp())
            total += max(0, min(b, e) - max(a, s))
        day += dt.timedelta(days=1)
    return total


def rank(values, p):
    v = sorted(values)
    return v[max(1, math.ceil(p * len(v) / 100)) - 1]


def dist(values):
    if not values:
        return {"count": 0, "median": None, "p90": None}
    return {"count": len(values), "median": rank(values, 50),
            "p90": rank(values, 90)}


def attain(met, breached):
    return {"met": met, "breached": breached,
            "rate": met / (met + breached) if met + breached else None}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(19)
    agents = {"support": ["rp_a1", "rp_a2"], "billing": ["rp_a3", "rp_a4"]}
    labels = ["vip", "refund", "bug"]
    ev = []
    clocks = []   # dicts: conv, kind, team, number, started, last_in,
    # stopped, msg (bool answered), agent, due
    replies = []  # (agent, ts, conv)
    failures = []  # (code, ts, conv)
    surveys = []  # (scale, team, number, sent, answered, rating)
    convlabels = {}
    for i in range(300):
        team = "support" if i % 2 == 0 else "billing"
        number = OTHER if i % 5 == 0 else PNID
        prio = i % 4
        if i < 12:
            # Friday evening (27 March or 10 April), answered Monday
            fri = (2026, 3, 27) if i < 6 else (2026, 4, 10)
            t0 = local(*fri, 18 + i % 3, 7 * i % 60)
        elif i < 20:
            # Maundy Thursday evening, into the Easter weekend
            t0 = local(2026, 4, 2, 16, 5 * (i - 12))
        else:
            t0 = FROM + rnd.randrange(0, TO - FROM - 3600)
        lbl = []
        u = rnd.random()
        if u < 0.3:
            lbl = [labels[i % 3]]
        elif u < 0.35:
            lbl = [labels[i % 3], labels[(i + 1) % 3]]
        convlabels[i] = lbl
        ev.append({"op": "conv", "conv": i, "ts": t0, "team": team,
                   "number": number, "priority": prio, "labels": lbl})
        ag = agents[team][rnd.randrange(2)]
        ins = [t0]
        ev.append({"op": "in", "conv": i, "ts": t0})
        if rnd.random() < 0.3:
            t = t0 + rnd.randrange(60, 3600)
            ins.append(t)
            ev.append({"op": "in", "conv": i, "ts": t})
        res = {"conv": i, "kind": "resolution", "team": team,
               "number": number, "started": t0, "last_in": max(ins),
               "stopped": None, "msg": False, "agent": None}
        first = {"conv": i, "kind": "first", "team": team,
                 "number": number, "started": t0, "last_in": max(ins),
                 "stopped": None, "msg": False, "agent": None}
        clocks += [res, first]
        last = max(ins)
        running = [res, first]
        if i < 12:
            mon = (2026, 3, 30) if i < 6 else (2026, 4, 13)
            t1 = local(*mon, 9, 30 + i)
        else:
            r = rnd.random()
            t1 = last + (rnd.randrange(120, 4 * 3600) if r < 0.6 else
                         rnd.randrange(4 * 3600, 3 * 86400))
        if i % 10 == 7:
            t1 = None       # never answered
        if t1 is not None:
            ev.append({"op": "out", "conv": i, "ts": t1, "agent": ag})
            replies.append((ag, t1, i))
            first.update(stopped=t1, msg=True, agent=ag)
            running.remove(first)
            last = t1
            if rnd.random() < 0.12:
                code = CODES[rnd.randrange(len(CODES))]
                ev.append({"op": "out", "conv": i, "ts": t1 + 30,
                           "agent": ag, "failed": code})
                replies.append((ag, t1 + 30, i))
                failures.append((code, t1 + 30, i))
                last = t1 + 30
            if rnd.random() < 0.5:
                t2 = last + rnd.randrange(600, 86400)
                ev.append({"op": "in", "conv": i, "ts": t2})
                nxt = {"conv": i, "kind": "next", "team": team,
                       "number": number, "started": t2, "last_in": t2,
                       "stopped": None, "msg": False, "agent": None}
                clocks.append(nxt)
                running.append(nxt)
                res["last_in"] = t2
                last = t2
                if rnd.random() < 0.7:
                    t3 = t2 + rnd.randrange(300, 2 * 86400)
                    ev.append({"op": "out", "conv": i, "ts": t3,
                               "agent": ag})
                    replies.append((ag, t3, i))
                    nxt.update(stopped=t3, msg=True, agent=ag)
                    running.remove(nxt)
                    last = t3
            if rnd.random() < 0.75:
                t4 = last + rnd.randrange(600, 5 * 86400)
                ev.append({"op": "resolve", "conv": i, "ts": t4,
                           "agent": ag})
                for c in running:
                    c["stopped"] = t4
                res["agent"] = ag
                if rnd.random() < 0.5:
                    scale = "5" if team == "support" else "thumbs"
                    sent = t4 + 3600
                    ans = rating = None
                    if rnd.random() < 0.7:
                        ans = sent + rnd.randrange(60, 2 * 86400)
                        rating = rnd.randrange(1, 6 if scale == "5" else 3)
                    ev.append({"op": "survey", "conv": i, "ts": sent,
                               "scale": scale, "agent": ag, "team": team,
                               "answered": ans, "rating": rating})
                    surveys.append((scale, team, number, sent, ans, rating))
        # deadlines: none computed, no target, or started + some hours
        for c in [res, first] + [x for x in clocks if x["conv"] == i and
                                 x["kind"] == "next"]:
            u = rnd.random()
            c["due"] = (None if u < 0.2 else 0 if u < 0.35 else
                        c["started"] + rnd.randrange(3600, 40 * 3600))
            if c["due"] is not None:
                ev.append({"op": "due", "conv": i, "kind": c["kind"],
                           "ts": c["started"], "due": c["due"]})
    ev.sort(key=lambda e: (e["ts"], e["conv"],
                           ["conv", "in", "out", "resolve", "survey",
                            "due"].index(e["op"])))
    with open(os.path.join(out, "events.jsonl"), "w") as f:
        for e in ev:
            f.write(json.dumps(e, sort_keys=True) + "\n")
    with open(os.path.join(out, "holidays.txt"), "w") as f:
        f.write("# the report test's holidays\n")
        for d, n in sorted(HOLIDAYS.items()):
            f.write("%s %s\n" % (d.isoformat(), n))
    with open(os.path.join(out, "hours.conf"), "w") as f:
        for sect, (o, c) in (("hours", HOURS["support"]),
                             ("hours billing", HOURS["billing"])):
            f.write("\n[%s]\ntimezone = Europe/Berlin\n" % sect)
            for d in ("mon", "tue", "wed", "thu", "fri"):
                f.write("%s = %02d:%02d-%02d:%02d\n" % (d, o // 60, o % 60,
                                                         c // 60, c % 60))
            f.write("holidays = %s\n" % os.path.join(out, "holidays.txt"))

    def expect(team=None, number=None):
        def ok(c):
            return ((team is None or c["team"] == team) and
                    (number is None or c["number"] == number))
        cs = [c for c in clocks if ok(c)]

        def inr(t):
            return t is not None and FROM <= t < TO

        def bt(c):
            return business(c["team"], c["started"], c["stopped"])
        opened = [c for c in cs if c["kind"] == "resolution" and
                  inr(c["started"])]
        resolved = [c for c in cs if c["kind"] == "resolution" and
                    inr(c["stopped"])]
        waits = [c for c in cs if c["kind"] != "resolution" and
                 inr(c["started"])]

        def att(group):
            met = br = 0
            for c in group:
                if c["due"] is None or c["due"] <= 0:
                    continue
                if c["stopped"] is not None and c["stopped"] <= c["due"]:
                    met += 1
                elif c["stopped"] is not None or NOW > c["due"]:
                    br += 1
            return attain(met, br)
        e = {}
        e["volume"] = {"opened": len(opened), "resolved": len(resolved)}
        firsts = [c for c in waits if c["kind"] == "first"]
        nexts = [c for c in waits if c["kind"] == "next"]
        e["response"] = {
            "first_response": dist([bt(c) for c in firsts if c["msg"]]),
            "next_response": dist([bt(c) for c in nexts if c["msg"]]),
            "attainment": {"first": att(firsts), "next": att(nexts)},
            "waited_past_window": sum(
                1 for c in waits if (c["stopped"] if c["stopped"] is not
                                     None else NOW) >= c["last_in"] + WINDOW),
            "unanswered": sum(1 for c in firsts if not c["msg"])}
        e["resolution"] = {"opened": len(opened), "resolved": len(resolved),
                           "resolution_time": dist([bt(c) for c in resolved]),
                           "attainment": {"resolution": att(opened)}}
        rows = {}
        for a, t, conv in replies:
            c0 = [c for c in cs if c["conv"] == conv]
            if c0 and FROM <= t < TO:
                rows.setdefault(a, {"replies": 0, "f": [], "resolved": 0})
                rows[a]["replies"] += 1
        for c in firsts:
            if c["msg"]:
                rows.setdefault(c["agent"], {"replies": 0, "f": [],
                                             "resolved": 0})
                rows[c["agent"]]["f"].append(bt(c))
        for c in resolved:
            if c["agent"]:
                rows.setdefault(c["agent"], {"replies": 0, "f": [],
                                             "resolved": 0})
                rows[c["agent"]]["resolved"] += 1
        e["agents"] = sorted(
            [{"agent": a, "replies": r["replies"],
              "first_responses": len(r["f"]),
              "first_response_median": rank(r["f"], 50) if r["f"] else None,
              "resolved": r["resolved"]} for a, r in rows.items()],
            key=lambda x: x["agent"])
        lr = []
        for name in sorted(labels):
            o = [c for c in opened if name in convlabels[c["conv"]]]
            rs = [c for c in resolved if name in convlabels[c["conv"]]]
            if o or rs:
                lr.append({"label": name, "opened": len(o),
                           "resolved": len(rs),
                           "resolution_median": rank([bt(c) for c in rs], 50)
                           if rs else None})
        e["labels"] = lr
        sv = {}
        for scale, tm, num, sent, ans, rating in surveys:
            if (team and tm != team) or (number and num != number):
                continue
            s = sv.setdefault(scale, {"scale": scale, "sent": 0,
                                      "answered": 0, "distribution": {}})
            if inr(sent):
                s["sent"] += 1
            if inr(ans):
                s["answered"] += 1
                k = str(rating)
                s["distribution"][k] = s["distribution"].get(k, 0) + 1
        e["survey"] = sorted([s for s in sv.values()
                              if s["sent"] or s["answered"]],
                             key=lambda x: x["scale"])
        fl = {}
        for code, t, conv in failures:
            c0 = [c for c in cs if c["conv"] == conv]
            if c0 and inr(t):
                fl[code] = fl.get(code, 0) + 1
        e["failures"] = sorted([{"code": k, "count": v} for k, v in
                                fl.items()], key=lambda x: x["code"])
        # local days and ISO weeks of the default zone
        days = []
        d = dt.datetime.fromtimestamp(FROM, TZ).date()
        while local(d.year, d.month, d.day) < TO:
            a = local(d.year, d.month, d.day)
            n = d + dt.timedelta(days=1)
            b = local(n.year, n.month, n.day)
            days.append({"key": d.isoformat(), "from": a, "to": b,
                         "opened": sum(1 for c in opened
                                       if a <= c["started"] < b),
                         "resolved": sum(1 for c in resolved
                                         if a <= c["stopped"] < b)})
            d = n
        e["volume_by_day"] = days
        weeks = []
        for k in range(0, len(days), 7):
            w = days[k:k + 7]
            y, wk, _ = dt.date.fromisoformat(w[0]["key"]).isocalendar()
            weeks.append({"key": "%d-W%02d" % (y, wk), "from": w[0]["from"],
                          "to": w[-1]["to"],
                          "opened": sum(x["opened"] for x in w),
                          "resolved": sum(x["resolved"] for x in w)})
        e["volume_by_week"] = weeks
        return e
    exp = {"from": FROM, "to": TO, "now": NOW, "all": expect(),
           "support": expect(team="support"),
           "other_number": expect(number=OTHER)}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(exp, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
