#!/bin/bash
# Piece 5: FrameRing vs JCTools SpscArrayQueue (with FrameRing's slot contents, and bare), N interleaved fresh JVMs each.
cd "$(dirname "$0")"
N=${1:-5}
for i in $(seq 1 $N); do
  case $((i % 3)) in 1) order="framering jctools jctools-bare";; 2) order="jctools jctools-bare framering";; 0) order="jctools-bare framering jctools";; esac
  for k in $order; do echo "round=$i $(./run.sh com.systemtrader.collector.RingBench $k 2>/dev/null | grep RESULT)"; done
done
