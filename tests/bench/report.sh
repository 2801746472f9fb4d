#!/bin/sh
# Reports at scale (issue 19, point 3): on gen-store's store of 100,000
# conversations and 1,000,000 messages, each report kind over its last 30
# days (the median of five runs, through the socket, CLI included), with
# [hours] Mon-Fri 09:00-17:00 Europe/Berlin. Target: under 1 s each.
. "$(dirname "$0")/../lib.sh"

NC=${SI_BENCH_CONVS:-100000}
NM=${SI_BENCH_MSGS:-1000000}
si_tmp
si_config
sed -i 's/^listen = .*/listen = off/' "$T/si.conf"
cat >>"$T/si.conf" <<EOC

[hours]
timezone = Europe/Berlin
mon = 09:00-17:00
tue = 09:00-17:00
wed = 09:00-17:00
thu = 09:00-17:00
fri = 09:00-17:00
EOC
"$SI_BUILD/tools/gen-store" "$T/data" "$NC" "$NM" >/dev/null || exit 1
si_start_store || { echo "daemon did not start"; exit 1; }
now=$(date +%s)
from=$(date -u -d "@$((now - 31 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "@$((now + 60))" +%Y-%m-%dT%H:%M:%SZ)
for k in volume response resolution agents labels survey failures; do
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		si report "$k" --from "$from" --to "$to" --format json >/dev/null || echo "report $k failed"
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000000 ))
	done | sort -n | sed -n 3p | sed "s/^/report $k (ms, median of 5): /"
done
t0=$(date +%s%N)
si report volume --from "$from" --to "$to" --by day \
    --format json >/dev/null
t1=$(date +%s%N)
echo "report volume --by day (ms): $(( (t1 - t0) / 1000000 ))"
si_stop
