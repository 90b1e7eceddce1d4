#!/bin/sh
# Writes a tiny "mesh" whose size grows with the case number.
n="$1"
i=1
while [ "$i" -le "$n" ]; do
    echo "cell $i"
    i=$((i + 1))
done
