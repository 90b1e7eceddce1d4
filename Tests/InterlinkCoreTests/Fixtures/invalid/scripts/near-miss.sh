#!/bin/bash
  #RESCALE_NAME indented
#rescale_analysis user_included
#RESCALE_COER emerald
#RESCALE_FOO bar
#RESCALE_COMMAND
	#$ -N tabbed
#RESCALE_CORES_PER_SLOT 2
#RESCALE_WALLTIME 1.5
echo hello
