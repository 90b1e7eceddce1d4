#!/bin/bash
#RESCALE_NAME solo
#RESCALE_CORES emerald
#RESCALE_WALLTIME 2
./run.sh
