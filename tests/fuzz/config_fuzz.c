// SPDX-License-Identifier: GPL-2.0
/*
 * The config loader against any file: it loads, or it refuses with a
 * message, and a refused file leaves the configuration as it was.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "../../agent/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chargerd_config c, before;
	char path[64], err[256];
	int fd, ret;

	fd = memfd_create("chargerd.conf", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("memfd");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	config_defaults(&c);
	memcpy(&before, &c, sizeof(c));
	err[0] = '\0';
	ret = config_load(&c, path, err, sizeof(err));
	close(fd);
	if (ret) {
		CHECK(err[0] != '\0' && memchr(err, '\0', sizeof(err)));
		CHECK(!memcmp(&before, &c, sizeof(c)));
	} else {
		CHECK(memchr(c.charger, '\0', sizeof(c.charger)));
		CHECK(memchr(c.battery, '\0', sizeof(c.battery)));
		CHECK(c.policy.in_use_resume_percent < c.policy.in_use_stop_percent);
		CHECK(c.policy.cold_stop_c <= c.policy.cool_c && c.policy.cool_c < c.policy.warm_c);
	}
	return 0;
}
