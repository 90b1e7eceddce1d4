#!/bin/bash
# only a body: strict parsing needs every directive
fluent 3ddp -g -i run.jou
