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

# The kernel the arm64 scripts boot: CHARGERD_VM_KERNEL (6.1, the
# default, 6.12 or 6.12-rt; tests/bench/lib.sh), as for the x86 VM.
ARM64_KERNEL=${CHARGERD_VM_KERNEL:-6.1}
[[ " ${SUPPORTED_KERNELS[*]} " == *" $ARM64_KERNEL "* ]] ||
	die "CHARGERD_VM_KERNEL='$ARM64_KERNEL': the arm64 bench boots ${SUPPORTED_KERNELS[*]}"

arm64_kver() {
	kernel_resolve "$ARM64_KERNEL" arm64
	printf '%s\n' "$K_RELEASE"
}
