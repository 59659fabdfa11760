#!/bin/bash
# Piece 2: load time of config/collector_config.yaml, hand-written binder vs Jackson databind records, N interleaved
# fresh JVMs each (default 5). cold_ms = first load in the JVM; warm_median_us = median of the last 200 loads of 3 s of loading.
cd "$(dirname "$0")"
N=${1:-5}; F=../repo/config/collector_config.yaml
for i in $(seq 1 $N); do
  if (( i % 2 )); then order="handwritten jackson"; else order="jackson handwritten"; fi
  for b in $order; do echo "round=$i $(./run.sh com.systemtrader.config.ConfigBench time $b $F 2>/dev/null | grep RESULT)"; done
done
