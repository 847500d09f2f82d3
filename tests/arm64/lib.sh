# SPDX-License-Identifier: GPL-2.0
# Shared by the arm64 VM scripts. Source it; do not run it.
. "$(dirname "${BASH_SOURCE[0]}")/../bench/lib.sh"
ARM64_DIR=$TOP_DIR/tests/arm64

# The machine, in one place: `run` boots it and `dumpdtb` dumps its device
# tree, and an overlay applied to that tree only fits the same machine
# (CPUs, memory and devices all show in the DTB). cortex-a57 rather than
# max: no pointer authentication to emulate, which TCG does slowly.
ARM64_QEMU=(qemu-system-aarch64 -M virt -cpu cortex-a57
	    -accel tcg,thread=multi -smp 2 -m 1024)

arm64_kver() {
	printf '%s-arm64\n' "$(kernel_abi)"
}
