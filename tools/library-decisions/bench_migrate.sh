#!/bin/bash
# Piece 1: hand-written MigrationRunner vs Flyway, interleaved, N rounds (default 5), PostgreSQL mode.
# Per round and tool: createdb; JVM 1 migrates the empty database (first_ms = migrate call; proc_ms = whole JVM);
# JVM 2 checks the up-to-date database (first_ms = cold no-op in a fresh JVM, warm_noop_ms = median of 5 more calls).
cd "$(dirname "$0")"
N=${1:-5}
for i in $(seq 1 $N); do
  if (( i % 2 )); then order="runner flyway"; else order="flyway runner"; fi
  for t in $order; do
    db=libdecisions_${t}_$i
    dropdb -h 127.0.0.1 -U postgres --if-exists $db; createdb -h 127.0.0.1 -U postgres $db
    s=$(date +%s%N); r1=$(./run.sh com.systemtrader.storage.MigrateBench $t $db 2>/dev/null | grep RESULT); e=$(date +%s%N)
    s2=$(date +%s%N); r2=$(./run.sh com.systemtrader.storage.MigrateBench $t $db 2>/dev/null | grep RESULT); e2=$(date +%s%N)
    echo "round=$i tool=$t empty: $(echo $r1 | grep -o 'first_ms=[0-9.]*') proc_ms=$(( (e-s)/1000000 )) | noop: $(echo $r2 | grep -o 'first_ms=[0-9.]*') $(echo $r2 | grep -o 'warm_noop_ms=[0-9.]*') proc_ms=$(( (e2-s2)/1000000 ))"
    dropdb -h 127.0.0.1 -U postgres $db
  done
done
