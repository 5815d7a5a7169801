#!/bin/bash
# Steady RSS and the peak of one SIGHUP reload of a list, for any dataset type (bench/README.md):
#   bench/reload_peak.sh build-bench/shund dnset /var/tmp/shun-bench/names-v1-1000000-s1.txt
# Copies the file, starts shund pinned to CPU 0, waits for its SOA, reads VmRSS, makes the copy newer,
# sends SIGHUP, waits for the reload, and reads VmHWM. A measurement, not a test.
set -u
shund=$1 type=$2 file=$3 port=${4:-53599}
data=$(mktemp /tmp/reload-peak-XXXXXX)
log=$(mktemp /tmp/reload-peak-log-XXXXXX)
cp "$file" "$data"
chmod 644 "$data" # shund reads it as its unprivileged user
taskset -c 0 "$shund" -n -b 127.0.0.1/$port -c 0 "bl.test:$type:$data" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  dig +short +time=1 +tries=1 -p $port @127.0.0.1 bl.test SOA >/dev/null 2>&1 && break
  sleep 0.1
done
sleep 1
steady=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
loadPeak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
lines=$(wc -l <"$log")
touch -d "+1 minute" "$data"
kill -HUP $pid
for _ in $(seq 1 300); do
  [ "$(wc -l <"$log")" -gt "$lines" ] && break
  sleep 0.1
done
sleep 2
reloadPeak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "$type: steady $steady kB, load peak $loadPeak kB, reload peak $reloadPeak kB" \
  "($(awk "BEGIN {printf \"%.2f\", $reloadPeak / $steady}")x steady)"
kill $pid
wait $pid 2>/dev/null
rm -f "$data" "$log"
