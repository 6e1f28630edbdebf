#!/bin/sh
# The container image, as far as it can be checked without a Docker engine:
# packaging/docker/check.sh (static rules, packages, the build stage run as
# a script, runtime libraries covered, the image config checked).
exec sh packaging/docker/check.sh
