#!/bin/sh
# A stand-in solver: reads the case parameters and prints a fake lift coefficient.
aoa="$1"
. ./params.env
echo "case=$CASE_NAME mach=$MACH aoa=$aoa"
echo "cl=$(awk -v a="$aoa" -v m="$MACH" 'BEGIN { printf "%.3f", 0.11 * a / sqrt(1 - m * m) }')"
