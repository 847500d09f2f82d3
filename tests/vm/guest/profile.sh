# SPDX-License-Identifier: GPL-2.0
# make shell: start where the build is, with its programs on PATH.
export CHARGERD=/opt/chargerd
export PATH=/opt/chargerd/build/bin:$PATH
cd /opt/chargerd 2>/dev/null || true
