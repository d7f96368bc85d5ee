#!/usr/bin/env python3
"""Aggregate Flee's agents.out.0 / links.out.0 (log_levels agent: 1, link: 1) into the totals
corridor's test (crates/runs/tests/route_logs.rs) compares with, one row per run and quantity:
  rows,agents,<t>,n      agents.out rows of day t (deterministic with data-driven spawning)
  rows,links,<t>,n       links.out rows of day t (deterministic: closures)
  loc,<name>,<t>,n       agents at a location (or 'L:<start>:<end>' on a link) at the end of day t,
                         for t in DAYS
  link,<start>><end>,<t>,n  cum_num_agents of a directed link on the last day
  order,<s>><e>;...,<t>,0   links.out rows of day t in file order, on the days it changes (deterministic)
  day0,<t;id;home>,0,0   agent ids and original locations of day 0 (deterministic: the camps' day-0 agents)
Usage: log_aggregate.py <runs dir> <out.csv>; reads agents.out.0_run<i>.gz and links.out.0_run<i>.gz."""
import sys, gzip, glob, re, collections
DAYS = (49, 99, 199, 299)
src, dst = sys.argv[1], sys.argv[2]
out = []
for p in sorted(glob.glob(src + '/agents.out.0_run*.gz')):
    run = int(re.search(r'_run(\d+)', p).group(1))
    rows, loc = collections.Counter(), collections.Counter()
    with gzip.open(p, 'rt') as f:
        for line in f:
            if line.startswith('#'): continue
            r = line.split(',')
            t = int(r[0]); rows[t] += 1
            if t == 0: out.append((run, 'day0', ';'.join(r[:3]), 0, 0))
            if t in DAYS: loc[(r[3], t)] += 1
    out += [(run, 'rows', 'agents', t, n) for t, n in sorted(rows.items())]
    out += [(run, 'loc', k, t, n) for (k, t), n in sorted(loc.items())]
    rows, last, order = collections.Counter(), {}, collections.defaultdict(list)
    with gzip.open(p.replace('agents.out', 'links.out'), 'rt') as f:
        lines = [l.rstrip('\n').split(',') for l in f if not l.startswith('#')]
    T = max(int(r[0]) for r in lines)
    for r in lines:
        rows[int(r[0])] += 1
        order[int(r[0])].append(r[1] + '>' + r[2])
        if int(r[0]) == T: last[r[1] + '>' + r[2]] = int(r[3])
    out += [(run, 'rows', 'links', t, n) for t, n in sorted(rows.items())]
    out += [(run, 'order', ';'.join(order[t]), t, 0) for t in sorted(order) if t == 0 or order[t] != order[t - 1]]
    out += [(run, 'link', k, T, n) for k, n in sorted(last.items())]
with open(dst, 'w') as g:
    g.write('run,kind,key,day,value\n')
    for r in out: g.write('%d,%s,%s,%d,%d\n' % r)
