/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces chargerd's modules use that changed between the
 * kernels the product supports: Debian 12's 6.1 LTS, 6.12 LTS and 6.12
 * PREEMPT_RT. The modules are written in the newest kernel's idiom; each
 * shim below maps that idiom back to the older kernels and says which
 * release changed what. Nothing else in the tree tests a kernel version.
 */
#ifndef CHARGERD_KCOMPAT_H
#define CHARGERD_KCOMPAT_H

#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/power_supply.h>
#include <linux/version.h>

/*
 * struct i2c_driver: 6.3 gave .probe the one-argument prototype that
 * .probe_new had (struct i2c_client *), and 6.6 removed .probe_new.
 * Use: .driver = ..., KCOMPAT_I2C_PROBE(fn), ...
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define KCOMPAT_I2C_PROBE(fn)	.probe = (fn)
#else
#define KCOMPAT_I2C_PROBE(fn)	.probe_new = (fn)
#endif

/*
 * struct i2c_algorithm: 6.8 named the transfer callback .xfer (with
 * .master_xfer kept as its alias for a while).
 * Use: KCOMPAT_I2C_XFER(fn), ...
 */
#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
#define KCOMPAT_I2C_XFER(fn)	.xfer = (fn)
#else
#define KCOMPAT_I2C_XFER(fn)	.master_xfer = (fn)
#endif

/*
 * struct platform_driver: 6.11 made .remove return void; before it,
 * .remove returned int (and its value was ignored). Write
 * `static void fn(struct platform_device *)`, then
 * KCOMPAT_PLATFORM_REMOVE_DEFINE(fn) after it and
 * KCOMPAT_PLATFORM_REMOVE(fn) in the driver structure.
 */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define KCOMPAT_PLATFORM_REMOVE_DEFINE(fn)
#define KCOMPAT_PLATFORM_REMOVE(fn)	.remove = (fn)
#else
#define KCOMPAT_PLATFORM_REMOVE_DEFINE(fn)				\
	static int fn##_int(struct platform_device *pdev)		\
	{								\
		fn(pdev);						\
		return 0;						\
	}
#define KCOMPAT_PLATFORM_REMOVE(fn)	.remove = fn##_int
#endif

/*
 * power_supply_desc.usb_types: 6.11 turned the array of enum
 * power_supply_usb_type (with num_usb_types) into a bitmask of
 * BIT(POWER_SUPPLY_USB_TYPE_*). Sets the mask on a descriptor the caller
 * owns; before 6.11 it builds the array, device-managed.
 * Returns 0 or -ENOMEM.
 */
static inline int kcompat_psy_set_usb_types(struct device *dev,
					    struct power_supply_desc *desc,
					    u32 mask)
{
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
	desc->usb_types = mask;
#else
	enum power_supply_usb_type *types;
	unsigned int n = 0;
	unsigned long bit, bits = mask;

	types = devm_kcalloc(dev, hweight32(mask), sizeof(*types), GFP_KERNEL);
	if (!types && mask)
		return -ENOMEM;
	for_each_set_bit(bit, &bits, BITS_PER_TYPE(mask))
		types[n++] = bit;
	desc->usb_types = types;
	desc->num_usb_types = n;
#endif
	return 0;
}

/*
 * power_supply_desc.charge_behaviours: 6.12 lets a driver give the
 * BIT(POWER_SUPPLY_CHARGE_BEHAVIOUR_*) it supports, and the core then
 * shows charge_behaviour as that list with the current one bracketed,
 * "[auto] inhibit-charge", in sysfs and (Debian's 6.12.117) in the uevent
 * too. Before 6.12 the core shows the single value, and there is nothing
 * to set.
 */
static inline void kcompat_psy_set_charge_behaviours(struct power_supply_desc *desc,
						     u8 mask)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	desc->charge_behaviours = mask;
#endif
}

#endif /* CHARGERD_KCOMPAT_H */
