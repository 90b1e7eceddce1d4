#!/bin/sh
# Sums the numbers in input.txt and writes the total to result.txt (portable POSIX shell, no other tools).
set -eu
total=0
while read -r value; do
    total=$((total + value))
done < input.txt
printf 'run %s: sum %s\n' "$(basename "$(pwd)")" "$total" > result.txt
