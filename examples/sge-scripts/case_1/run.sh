#!/bin/sh
#$ -N case-1
#$ -pe smp 2
#$ -l rescale_coretype=emerald,rescale_walltime=1
#RESCALE_ANALYSIS user_included
#RESCALE_TAGS sge,case-1
#RESCALE_ENV_CASE_ID 1
# The body below is the job's command (there is no #RESCALE_COMMAND).
sh mesh.sh 1 > mesh-1.txt
cat mesh-1.txt > result.txt
echo "case $CASE_ID done" >> result.txt
