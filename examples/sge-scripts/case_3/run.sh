#!/bin/sh
#$ -N case-3
#$ -pe smp 8
#$ -l rescale_coretype=emerald,rescale_walltime=1
#RESCALE_ANALYSIS user_included
#RESCALE_WALLTIME 30m
#RESCALE_TAGS sge,case-3
#RESCALE_ENV_CASE_ID 3
# The body below is the job's command (there is no #RESCALE_COMMAND).
sh mesh.sh 3 > mesh-3.txt
cat mesh-3.txt > result.txt
echo "case $CASE_ID done" >> result.txt
