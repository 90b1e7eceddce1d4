#!/bin/bash
#$ -N ../../escaped
#RESCALE_ANALYSIS user_included
#RESCALE_CORES emerald
#RESCALE_CORES_PER_SLOT 1
#RESCALE_WALLTIME 1
./solve.sh
