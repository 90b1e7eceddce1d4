#!/bin/bash
#RESCALE_NAME malformed
#RESCALE_ANALYSIS user_included
#RESCALE_CORES emerald
#RESCALE_CORES_PER_SLOT eight
#RESCALE_SLOTS 3abc
#RESCALE_WALLTIME 24:xx
#USE_RESCALE_LICENSE yes
#RESCALE_ENV_MY-VAR 1
#$ -l rescale_cores=-4,h_rt=01:00:00
./solver
