// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd_canary - the smallest module that proves the test bench
 *
 * The bench builds it out of tree, installs it into the virtual device and
 * its test loads it there. It exposes /sys/kernel/chargerd_canary/ with:
 *
 *   limit_ua  read-write; a current in microamps, 0..CANARY_LIMIT_MAX_UA.
 *             Anything else (negative, too large, not a number) is refused
 *             with -EINVAL and leaves the stored value alone, the way the
 *             charger driver must treat its own sysfs limits.
 *   writes    read-only; how many writes were accepted.
 *
 * It goes away when the chip emulator's tests replace it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#define CANARY_LIMIT_MAX_UA	1000000U

static struct kobject *canary_kobj;
static DEFINE_MUTEX(canary_lock);
static unsigned int canary_limit_ua = 500000;
static unsigned int canary_writes;

static ssize_t limit_ua_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	unsigned int val;

	mutex_lock(&canary_lock);
	val = canary_limit_ua;
	mutex_unlock(&canary_lock);

	return sysfs_emit(buf, "%u\n", val);
}

static ssize_t limit_ua_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int val;
	int ret;

	/* kstrtouint() rejects a sign, junk and anything beyond UINT_MAX. */
	ret = kstrtouint(buf, 0, &val);
	if (ret)
		return -EINVAL;
	if (val > CANARY_LIMIT_MAX_UA)
		return -EINVAL;

	mutex_lock(&canary_lock);
	canary_limit_ua = val;
	canary_writes++;
	mutex_unlock(&canary_lock);

	return count;
}

static ssize_t writes_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	unsigned int val;

	mutex_lock(&canary_lock);
	val = canary_writes;
	mutex_unlock(&canary_lock);

	return sysfs_emit(buf, "%u\n", val);
}

static struct kobj_attribute limit_ua_attr = __ATTR_RW(limit_ua);
static struct kobj_attribute writes_attr = __ATTR_RO(writes);

static struct attribute *canary_attrs[] = {
	&limit_ua_attr.attr,
	&writes_attr.attr,
	NULL
};

static const struct attribute_group canary_group = {
	.attrs = canary_attrs,
};

static int __init canary_init(void)
{
	int ret;

	canary_kobj = kobject_create_and_add("chargerd_canary", kernel_kobj);
	if (!canary_kobj)
		return -ENOMEM;

	ret = sysfs_create_group(canary_kobj, &canary_group);
	if (ret) {
		kobject_put(canary_kobj);
		return ret;
	}

	pr_info("chargerd_canary: loaded, limit %u uA\n", canary_limit_ua);
	return 0;
}

static void __exit canary_exit(void)
{
	sysfs_remove_group(canary_kobj, &canary_group);
	kobject_put(canary_kobj);
	pr_info("chargerd_canary: unloaded after %u writes\n", canary_writes);
}

module_init(canary_init);
module_exit(canary_exit);

MODULE_DESCRIPTION("chargerd test bench canary");
MODULE_LICENSE("GPL");
