# SPDX-License-Identifier: GPL-2.0
#
# chargerd: the kernel modules build out of tree from ./Kbuild; the programs
# (agent, tools, tests) build here. `make help` lists the targets.

# Debian's current kernel headers, as linux-headers-amd64 resolves them.
# Evaluated only when used, so `make deps` can install them first.
KDIR ?= $(shell tests/bench/kdir)

CC ?= gcc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror
BUILD := build
# pkg-config of the machine the programs run on: make arm64-agent passes
# one that looks in its arm64 sysroot.
PKG_CONFIG ?= pkg-config
# The programs' version (--version, the report) is the package's: the
# newest entry of debian/changelog. debian/rules passes its own (DEB_VERSION).
CHARGERD_VERSION ?= $(shell sed -n '1s/^chargerd .\([0-9][^ ]*\). .*/\1/p' agent/dist/debian/changelog)
VERSION_FLAGS = -DCHARGERD_VERSION='"$(CHARGERD_VERSION)"'

# kselftest.h and kselftest_harness.h, extracted from Debian's linux-source
# at build time (cached outside the repository; never vendored).
KSFT = $(eval KSFT := $(shell tests/bench/linux-source)/tools/testing/selftests)$(KSFT)
TEST_CFLAGS = $(CFLAGS) $(WARNINGS) -isystem $(KSFT)

# Kernel sources that checkpatch checks (userspace tests are *_test.[ch],
# and emulctl is a userspace tool).
KERNEL_SRC = $(shell find driver tests/emul -name '*.[ch]' ! -name '*.mod.c' \
		! -name '*_test.[ch]' ! -name emulctl.c ! -name "emul_board*.h" 2>/dev/null)

HOST_TESTS := $(patsubst tests/host/%.c,$(BUILD)/host/%,$(wildcard tests/host/*_test.c))
VM_TESTS := $(patsubst tests/emul/%.c,$(BUILD)/vmtests/%,$(wildcard tests/emul/*_test.c)) \
	    $(patsubst tests/driver/%.c,$(BUILD)/vmtests/%,$(wildcard tests/driver/*_test.c)) \
	    $(patsubst tests/agent/%.c,$(BUILD)/vmtests/%,$(wildcard tests/agent/*_test.c))
TOOLS := $(BUILD)/bin/tap-summary $(BUILD)/bin/emulctl $(BUILD)/bin/report_page
AGENT := $(BUILD)/bin/chargerd
CTL := $(BUILD)/bin/chargerctl
# make bench's programs, run in the virtual device (see make bench below)
BENCH_PROGS := $(BUILD)/bin/i2c_bench $(BUILD)/bin/agent_bench $(BUILD)/bin/uevent_relay \
	$(BUILD)/bin/growth_bench
# The agent's pure core: parsers, models, policies, diagnosis, plots; no
# sockets, no bus, no journal. Built once per set of flags as a static
# library (build/lib/FLAVOUR/libcore.a) that the daemon, the host tests and
# the fuzzers link: objects built with different sanitizers do not mix.
CORE_SRC := agent/uevent.c agent/config.c agent/alsa.c agent/snapshot.c agent/faults.c agent/record.c \
	    agent/session.c agent/ratelimit.c agent/history.c agent/policy.c agent/diagnosis.c \
	    agent/led.c agent/grant.c agent/plot.c agent/plot_svg.c agent/report_html.c agent/resync.c agent/file.c \
	    agent/ctl_text.c agent/clock.c agent/holds.c
CORE_LIBS = $(shell $(PKG_CONFIG) --libs inih zlib json-c) -lm
CORE = $(BUILD)/lib/release/libcore.a
HOST_CORE = $(BUILD)/lib/host/libcore.a
FUZZ_CORE = $(BUILD)/lib/fuzz/libcore.a
# The daemon's own files (agent/README.md says which concern is where).
# sd-event and sd-bus callbacks take arguments they may not use: said
# once here, not on every callback.
AGENT_SRC := agent/main.c agent/manager.c agent/uevent_socket.c agent/runtime.c agent/journal.c \
	     agent/charger.c agent/samples.c agent/pcm_watch.c agent/clock_watch.c \
	     agent/bus.c agent/report.c
AGENT_WARNINGS := $(WARNINGS) -Wno-unused-parameter
AGENT_LIBS = $(shell $(PKG_CONFIG) --cflags --libs libsystemd libnl-3.0 inih json-c zlib) -lm

.PHONY: all deps modules kmodules programs upstream check check-host checkpatch sparse dtbs_check \
	demo readme-plot shell image install deb clean help arm64 arm64-modules arm64-programs check-arm64 \
	fuzzers fuzz soak bench bench-ab debug-kernel debug-modules debug-programs check-debug arm64-agent

# make ARCH=arm64: the cross-build for the arm64 bench (see below).
ifeq ($(ARCH),arm64)
all: arm64
else
all: modules programs upstream
endif

help:
	@echo 'make deps        install the Debian packages everything needs (idempotent)'
	@echo 'make             build the kernel modules and the programs'
	@echo 'make modules     build the kernel modules (KDIR=... to choose the tree)'
	@echo 'make programs    build the agent, the tools and the test programs'
	@echo 'make upstream    build upstream bq25890_charger (the emulator fidelity reference)'
	@echo 'make check       run every test: host, build, checkpatch, sparse, VM'
	@echo 'make check-host  the fast tier without a VM: builds, host tests, fuzz replay, lint'
	@echo 'make demo        run the product on the virtual device'
	@echo 'make readme-plot make demo, then the plot README.md shows (agent/charge-session.png)'
	@echo 'make shell       interactive root console on the virtual device'
	@echo 'make image       fetch the kernel and build the VM image (cached)'
	@echo 'make checkpatch  checkpatch.pl --strict on the kernel sources'
	@echo 'make sparse      sparse (C=2) on the kernel modules'
	@echo 'make dtbs_check  validate the DT binding and the board overlay (dt-schema)'
	@echo 'make soak        the driver and agent suites at full counts, then check-debug'
	@echo 'make bench       figures: bus cost vs upstream, agent vs upowerd (table + JSON)'
	@echo 'make bench-ab    REVS="A B": chargerd at each revision, one boot (A/B figures)'
	@echo 'make fuzz        run each libFuzzer harness for FUZZ_SECONDS (default 300)'
	@echo 'make ARCH=arm64  cross-build the modules, test programs and agent for arm64 (build/arm64)'
	@echo 'make arm64-agent cross-build chargerd, chargerctl and the host tests for arm64'
	@echo 'make check-arm64 boot arm64 (QEMU virt + the board overlay) and run the driver tests'
	@echo 'make check-debug boot the debug kernel (lockdep, KASAN, kmemleak, fault injection), run the driver tests'
	@echo 'make install     install the agent under DESTDIR (FHS paths)'
	@echo 'make deb         the Debian packages (agent, DKMS, prebuilt modules) in build/deb'
	@echo 'make clean       remove build outputs (the cache stays)'
	@echo 'make help        this list'
	@echo 'make kmodules    KERNEL=6.1|6.12|6.12-rt KARCH=amd64|arm64 [C=2]: both modules for one kernel'
	@echo 'make fuzzers     build the libFuzzer harnesses only'
	@echo 'make debug-kernel, debug-modules, debug-programs: the parts of check-debug'

deps:
	@tests/bench/deps

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

programs: $(TOOLS) $(AGENT) $(CTL) $(HOST_TESTS) $(VM_TESTS) $(BENCH_PROGS)

$(AGENT): $(AGENT_SRC) $(CORE) $(wildcard agent/*.h) $(wildcard agent/dist/debian/changelog)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(VERSION_FLAGS) $(CFLAGS) $(AGENT_WARNINGS) $(LDFLAGS) -o $@ $(AGENT_SRC) $(CORE) $(AGENT_LIBS)

CTL_SRC := agent/chargerctl.c agent/ctl_bus.c agent/ctl_monitor.c
$(CTL): $(CTL_SRC) $(CORE) agent/ctl.h agent/faults.h agent/report_html.h agent/ctl_text.h \
		$(wildcard agent/dist/debian/changelog)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(VERSION_FLAGS) $(CFLAGS) $(AGENT_WARNINGS) $(LDFLAGS) -o $@ $(CTL_SRC) $(CORE) \
		$(shell $(PKG_CONFIG) --cflags --libs libsystemd json-c)

# One object rule and one archive rule per flavour of the core.
define core_flavour
$(BUILD)/lib/$(1)/%.o: agent/%.c $(filter-out agent/chargerd.h,$(wildcard agent/*.h))
	@mkdir -p $$(@D)
	$(2) $(3) -c -o $$@ $$<

$(BUILD)/lib/$(1)/libcore.a: $(patsubst agent/%.c,$(BUILD)/lib/$(1)/%.o,$(CORE_SRC))
	rm -f $$@
	$(AR) rcs $$@ $$^
endef

# Upstream's bq25890_charger, built out of tree from Debian's linux-source
# (Debian's amd64 kernel does not build it; its arm64 kernel ships it as a
# module), to check the emulator against a driver nobody here wrote and,
# put in the VM's 6.1 module tree as on arm64, to check that the packages'
# modprobe policy keeps udev from loading it. Kept apart from our Kbuild:
# it is not ours to checkpatch or sparse.
UPSTREAM := $(BUILD)/upstream
upstream:
	@mkdir -p $(UPSTREAM)
	cp $(shell tests/bench/linux-source)/drivers/power/supply/bq25890_charger.c $(UPSTREAM)/
	echo 'obj-m := bq25890_charger.o' > $(UPSTREAM)/Kbuild
	$(MAKE) -C $(KDIR) M=$(abspath $(UPSTREAM)) modules

$(BUILD)/bin/tap-summary: tests/tap/tap-summary.c tests/tap/tap.c tests/tap/tap.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ tests/tap/tap-summary.c tests/tap/tap.c

# Host tests run under AddressSanitizer and UndefinedBehaviorSanitizer.
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HOST_CFLAGS = $(TEST_CFLAGS) $(SANITIZE)

$(BUILD)/host/tap_test: tests/host/tap_test.c tests/tap/tap.c tests/tap/tap.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ tests/host/tap_test.c tests/tap/tap.c

# Every other host test: one file, linked against the sanitized core.
$(BUILD)/host/%_test: tests/host/%_test.c $(HOST_CORE) $(wildcard agent/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(HOST_CORE) $(CORE_LIBS)

# harness_test tests the VM test programs' main, in tests/emul/emul_test.h.
$(BUILD)/host/harness_test: tests/emul/emul_test.h

# The browser check's pages (tests/browser), drawn by the agent's own code.
$(BUILD)/bin/report_page: tests/browser/report_page.c $(HOST_CORE) $(wildcard agent/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(HOST_CORE) $(CORE_LIBS)

$(BUILD)/bin/emulctl: tests/emul/emulctl.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $<

$(BUILD)/vmtests/%: tests/emul/%.c tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $<

$(BUILD)/vmtests/%: tests/agent/%.c tests/driver/driver_test.h tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --cflags --libs json-c libsystemd)

$(BUILD)/vmtests/%: tests/driver/%.c tests/driver/driver_test.h tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $<

# --- the kernel matrix --------------------------------------------------
# make kmodules KERNEL=6.12 [KARCH=arm64] [C=2]: the modules for one of
# Debian's kernels (6.1, 6.12, 6.12-rt; tests/bench/headers fetches the
# headers into the cache), in a copy of the module sources under
# build/kernels/KERNEL-KARCH (6.1 and 6.12 have no MO=), so builds for
# different kernels never share objects. C=2 adds sparse, every warning an
# error. KARCH follows ARCH=arm64 when it is not given. tests/check builds
# the whole matrix.
KERNEL ?= 6.1
KARCH ?= $(if $(filter arm64,$(ARCH)),arm64,amd64)
KOUT = $(BUILD)/kernels/$(KERNEL)-$(KARCH)
KCROSS = $(if $(filter arm64,$(KARCH)),ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
KHEADERS = tests/bench/headers '$(KERNEL)' '$(KARCH)'

# The copy, then the build: the build's line runs under make -n too (it
# has $(MAKE)), the copy's does not, so a dry run deletes nothing.
kmodules:
	$(if $(KERNEL),,$(error KERNEL is empty: say 6.1, 6.12 or 6.12-rt))
	$(if $(KARCH),,$(error KARCH is empty: say amd64 or arm64))
	@$(KHEADERS) >/dev/null && rm -rf '$(KOUT)' && mkdir -p '$(KOUT)/src' && \
	tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' \
		--exclude="emul_board*.h" Kbuild driver tests/emul dts compat | tar -xf - -C '$(KOUT)/src'
	$(MAKE) -C "$$($(KHEADERS))" M='$(abspath $(KOUT))/src' \
		$(KCROSS) W=1 $(if $(C),C=$(C) CF=-Wsparse-error) modules

# compat/kcompat.h is the one file that tests the kernel's version (its
# purpose), so only it may use LINUX_VERSION_CODE.
checkpatch:
	perl $(shell tests/bench/linux-source)/scripts/checkpatch.pl \
		--strict --no-tree --quiet --show-types -f $(KERNEL_SRC)
	perl $(shell tests/bench/linux-source)/scripts/checkpatch.pl \
		--strict --no-tree --quiet --show-types --ignore LINUX_VERSION_CODE \
		-f compat/kcompat.h

# -Wsparse-error turns every sparse warning into a failure.
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 CF=-Wsparse-error modules

# The binding, the board's .dtsi and .dtso: dtc, dt-doc-validate and
# dt-validate, as TAP (tests/dt/dtbs-check says what each test proves).
dtbs_check: deps
	@tests/dt/dtbs-check

check: deps
	@tests/check

# The fast tier: no VM (builds, host tests, fuzz replay, dtbs_check,
# checkpatch, sparse); a couple of minutes once the caches are warm.
check-host: deps
	@tests/check --host

# The demo's plot and report page come out of the VM on the console,
# between markers.
demo: deps
	@$(MAKE) --no-print-directory -s all
	@mkdir -p $(BUILD)/demo
	@rm -f $(BUILD)/demo/charge-session.svg $(BUILD)/demo/report.html
	@tests/vm/run -- tests/demo | awk -v dir=$(BUILD)/demo \
		'/^=== BEGIN [a-z.-]+ ===/ { file = dir "/" $$3; next } \
		 /^=== END / { file = ""; next } \
		 file != "" { print > file; next } { print; fflush() }'
	@test -s $(BUILD)/demo/charge-session.svg && \
		echo "== the session plot: $(BUILD)/demo/charge-session.svg"
	@test -s $(BUILD)/demo/report.html && \
		echo "== the report for a person (open it in a browser): $(BUILD)/demo/report.html"

# The plot README.md shows: a demo run's session, rendered by rsvg-convert.
readme-plot: demo
	rsvg-convert -w 960 -b white -o agent/charge-session.png $(BUILD)/demo/charge-session.svg
	@echo "== README.md's plot: agent/charge-session.png (commit it)"

shell: deps
	@$(MAKE) --no-print-directory -s all
	@tests/vm/run --shell

image: deps
	@tests/vm/mkrootfs >/dev/null
	@tests/vm/mkmodules >/dev/null

# The agent in FHS paths under DESTDIR (the VM image installs it this way).
# Debian 12's packages keep units and udev rules under /lib (debian/rules
# says so); systemd and udev read both.
UNITDIR ?= /usr/lib/systemd/system
UDEVRULESDIR ?= /usr/lib/udev/rules.d
install: $(AGENT) $(CTL)
	install -D -m 0755 $(AGENT) $(DESTDIR)/usr/sbin/chargerd
	install -D -m 0755 $(CTL) $(DESTDIR)/usr/bin/chargerctl
	install -D -m 0644 agent/dist/chargerd.service $(DESTDIR)$(UNITDIR)/chargerd.service
	install -D -m 0755 agent/dist/chargerd.sleep \
		$(DESTDIR)$(patsubst %/system,%/system-sleep,$(UNITDIR))/chargerd
	install -D -m 0644 -t $(DESTDIR)$(UNITDIR) agent/dist/chargerd-upload.service \
		agent/dist/chargerd-upload.timer
	install -D -m 0755 agent/dist/chargerd-upload $(DESTDIR)/usr/libexec/chargerd/upload
	install -D -m 0644 agent/dist/chargerd.sysusers $(DESTDIR)/usr/lib/sysusers.d/chargerd.conf
	install -D -m 0644 agent/dist/70-chargerd.rules $(DESTDIR)$(UDEVRULESDIR)/70-chargerd.rules
	install -D -m 0644 agent/dist/org.chargerd.Charger1.conf \
		$(DESTDIR)/usr/share/dbus-1/system.d/org.chargerd.Charger1.conf
	install -D -m 0644 agent/dist/org.chargerd.Charger1.xml \
		$(DESTDIR)/usr/share/dbus-1/interfaces/org.chargerd.Charger1.xml
	install -D -m 0644 agent/chargerd.catalog $(DESTDIR)/usr/lib/systemd/catalog/chargerd.catalog
	install -D -m 0644 agent/dist/chargerd.conf.example \
		$(DESTDIR)/usr/share/doc/chargerd/chargerd.conf.example
	install -D -m 0644 agent/dist/man/chargerd.8 $(DESTDIR)/usr/share/man/man8/chargerd.8
	install -D -m 0644 agent/dist/man/chargerctl.1 $(DESTDIR)/usr/share/man/man1/chargerctl.1
	install -D -m 0644 agent/dist/man/chargerd.conf.5 $(DESTDIR)/usr/share/man/man5/chargerd.conf.5

# The Debian packages, built from this tree (agent/dist/mkdeb says what
# each holds); lintian must report no error or warning.
deb: deps
	@agent/dist/mkdeb

# --- make bench ---------------------------------------------------------------
# Figures, not tests: the bus cost of our driver and upstream's, and the
# agent's memory, wakeups, latency and CPU next to upowerd's, from one run
# of the virtual device (tests/bench/bench prints the table and writes JSON).
$(BUILD)/bin/i2c_bench: tests/bench/i2c_bench.c tests/bench/bench.h tests/driver/driver_test.h tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $<

$(BUILD)/bin/agent_bench: tests/bench/agent_bench.c tests/bench/bench.h tests/driver/driver_test.h tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $< $(shell $(PKG_CONFIG) --cflags --libs libsystemd)

# the latency's floor: the least a program can do on chargerd's path
$(BUILD)/bin/uevent_relay: tests/bench/uevent_relay.c tests/bench/bench.h agent/msgid.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $< $(shell $(PKG_CONFIG) --cflags --libs libsystemd)

$(BUILD)/bin/growth_bench: tests/bench/growth_bench.c tests/bench/bench.h $(CORE) agent/history.h agent/plot.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $< $(CORE) $(CORE_LIBS) \
		$(shell $(PKG_CONFIG) --cflags --libs libsystemd)

bench:
	@tests/bench/bench --check-args
	@$(MAKE) --no-print-directory -s deps
	@$(MAKE) --no-print-directory -s all
	@tests/bench/bench

# chargerd at each of REVS="A B ..." (git revisions, or work) in one boot,
# ROUNDS times: an A/B of the code with the VM's speed held still.
bench-ab:
	@tests/bench/ab --check-args
	@$(MAKE) --no-print-directory -s deps
	@tests/bench/ab

# --- fuzzing ------------------------------------------------------------------
# libFuzzer harnesses (clang, with ASan and UBSan) for what reads untrusted
# bytes or numbers: the uevent parser, the config loader, the history
# decoder, and the policies and diagnosis over arbitrary snapshots.
FUZZ_CC := clang
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(WARNINGS)
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/*_fuzz.c))
FUZZ_SECONDS ?= 300

# The library's objects carry libFuzzer's coverage but not its main().
FUZZ_LIB_CFLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		  -fno-sanitize-recover=all $(WARNINGS)

$(eval $(call core_flavour,release,$$(CC),$$(CPPFLAGS) $$(CFLAGS) $$(WARNINGS)))
$(eval $(call core_flavour,host,$$(CC),$$(CFLAGS) $$(WARNINGS) $$(SANITIZE)))
$(eval $(call core_flavour,fuzz,$$(FUZZ_CC),$$(FUZZ_LIB_CFLAGS)))

fuzzers: $(FUZZERS)

$(BUILD)/fuzz/%_fuzz: tests/fuzz/%_fuzz.c tests/fuzz/fuzz.h $(FUZZ_CORE) $(wildcard agent/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_CORE) $(CORE_LIBS)

# The driver's and the agent's suites at full counts (make check runs reduced
# ones), then the debug kernel's run (tests/debug/check).
soak: deps
	@tests/soak

fuzz: deps
	@$(MAKE) --no-print-directory -s fuzzers
	@tests/fuzz/run $(FUZZ_SECONDS)

# --- the arm64 bench --------------------------------------------------------
# Debian's arm64 headers (tests/bench/arm64-kdir), aarch64-linux-gnu-gcc,
# and a busybox guest (tests/arm64/run), so the test programs are static.
# emul_upstream_test needs the upstream module, which is x86-only here.
ARM64 := $(BUILD)/arm64
ARM64_KDIR = $(shell tests/bench/arm64-kdir)
ARM64_CC := aarch64-linux-gnu-gcc
ARM64_TESTS := $(filter-out %/emul_upstream_test, \
	$(patsubst tests/emul/%.c,$(ARM64)/bin/%,$(wildcard tests/emul/*_test.c))) \
	$(patsubst tests/driver/%.c,$(ARM64)/bin/%,$(wildcard tests/driver/*_test.c))

arm64: arm64-modules arm64-programs arm64-agent $(ARM64)/bench.dtb

# The agent for Debian 12 arm64: chargerd, chargerctl and the host tests,
# cross-built in build/arm64/agent against Debian's arm64 libraries in a
# sysroot (tests/bench/arm64-sysroot), with the same warnings and without
# the sanitizers (tests/arm64/check runs the host tests under qemu-aarch64).
ARM64_AGENT := $(ARM64)/agent
ARM64_AGENT_BINS := $(ARM64_AGENT)/bin/chargerd $(ARM64_AGENT)/bin/chargerctl \
	$(patsubst $(BUILD)/host/%,$(ARM64_AGENT)/host/%,$(HOST_TESTS))
arm64-agent:
	+@s=$$(tests/bench/arm64-sysroot) && $(MAKE) --no-print-directory BUILD=$(ARM64_AGENT) \
		CC="$(ARM64_CC) --sysroot=$$s" AR=aarch64-linux-gnu-ar SANITIZE= \
		PKG_CONFIG="env PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR=$$s PKG_CONFIG_LIBDIR=$$s/usr/lib/aarch64-linux-gnu/pkgconfig:$$s/usr/share/pkgconfig pkg-config" \
		$(ARM64_AGENT_BINS)

# Kbuild writes its objects beside the sources (6.1 has no MO=): the arm64
# modules build in a copy of the module sources, and the x86 .ko stay.
arm64-modules:
	@mkdir -p $(ARM64)/src
	@tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' \
		--exclude="emul_board*.h" Kbuild driver tests/emul dts compat | tar -xf - -C $(ARM64)/src
	$(MAKE) -C $(ARM64_KDIR) M=$(abspath $(ARM64))/src ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- W=1 modules

arm64-programs: $(ARM64_TESTS) $(ARM64)/bin/emulctl $(ARM64)/bin/dt_probe_test.sh \
		$(ARM64)/bin/run-suite

$(ARM64)/bin/%: tests/emul/%.c tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(TEST_CFLAGS) -static -o $@ $<

$(ARM64)/bin/%: tests/driver/%.c tests/driver/driver_test.h tests/emul/emul_test.h
	@mkdir -p $(@D)
	$(ARM64_CC) $(TEST_CFLAGS) -static -o $@ $<

$(ARM64)/bin/emulctl: tests/emul/emulctl.c
	@mkdir -p $(@D)
	$(ARM64_CC) $(CFLAGS) $(WARNINGS) -static -o $@ $<

$(ARM64)/bin/%: tests/arm64/%
	@mkdir -p $(@D)
	install -m 0755 $< $@

# QEMU's virt DTB with the bench's I2C node, then the product's overlay.
$(ARM64)/bench.dtb: tests/arm64/bench.dtso dts/chargerd-audio.dtso dts/chargerd-audio.dtsi \
		    tests/arm64/lib.sh tests/arm64/dumpdtb
	@mkdir -p $(@D)
	tests/arm64/dumpdtb $(ARM64)/virt.dtb
	dtc -q -@ -I dts -O dtb -o $(ARM64)/bench.dtbo tests/arm64/bench.dtso
	cpp -nostdinc -undef -x assembler-with-cpp -I $(shell tests/bench/linux-source)/include \
		-I dts dts/chargerd-audio.dtso | dtc -q -@ -I dts -O dtb -o $(ARM64)/audio.dtbo -
	fdtoverlay -i $(ARM64)/virt.dtb -o $@ $(ARM64)/bench.dtbo $(ARM64)/audio.dtbo

# The driver's and the emulator's suites, and the DT probe checks, on arm64
# from the DTS; ends with the same verdict line as make check.
check-arm64: deps
	@tests/arm64/check

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

# --- the debug kernel -------------------------------------------------------
# Debian's linux-source built with lockdep, KASAN, kmemleak, debugobjects,
# SLUB debugging, fault injection and DEBUG_TEST_DRIVER_REMOVE
# (tests/bench/debug-kernel, tests/debug/debug.config; cached), our modules
# built against it, and tests/debug/check, which boots it and runs the
# driver's and the emulator's suites and the probe fault injection.
DEBUG := $(BUILD)/debug
DEBUG_KDIR = $(shell tests/bench/debug-kernel)

debug-kernel:
	@tests/bench/debug-kernel

# In a copy of the module sources, like arm64-modules: the Debian-kernel
# .ko beside the sources stay.
debug-modules:
	@mkdir -p $(DEBUG)/src
	@tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' \
		--exclude="emul_board*.h" Kbuild driver tests/emul dts compat | tar -xf - -C $(DEBUG)/src
	$(MAKE) -C $(DEBUG_KDIR) M=$(abspath $(DEBUG))/src W=1 modules

debug-programs: $(DEBUG)/bin/probe_fault_test

$(DEBUG)/bin/probe_fault_test: tests/debug/probe_fault_test.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARNINGS) -o $@ $<

check-debug: deps
	@tests/debug/check
