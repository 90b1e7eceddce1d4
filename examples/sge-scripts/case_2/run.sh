#!/bin/sh
#$ -N case-2
#$ -pe smp 4
#$ -l rescale_coretype=emerald,rescale_walltime=1
#RESCALE_ANALYSIS user_included
#RESCALE_TAGS sge,case-2
#RESCALE_ENV_CASE_ID 2
# The body below is the job's command (there is no #RESCALE_COMMAND).
sh mesh.sh 2 > mesh-2.txt
cat mesh-2.txt > result.txt
echo "case $CASE_ID done" >> result.txt
