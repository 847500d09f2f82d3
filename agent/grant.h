/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What root opens to chargerd's group so that chargerd, its own user, can
 * write it: the charger's two attributes its policies set, and the status
 * LED's (led.c). `chargerd --grant-charger` and `--grant-led` run these,
 * from udev's rules and from the unit's start and reload.
 */
#ifndef CHARGERD_GRANT_H
#define CHARGERD_GRANT_H

#include <stdio.h>
#include <sys/types.h>

#include "config.h"

/*
 * Open attribute attr of the directory dirfd to the group gid: its group
 * set to gid (the owner left as it is), then the group's write bit added
 * to its mode, both through one open file. The bit only once the group is
 * gid, so that a file with the bit set is granted: udev's rule takes the
 * bit as "done" (TEST{0020}). 0, or -errno: -ENOENT no such attribute,
 * -ELOOP a symbolic link, -EISDIR a directory, -EBADFD another file that
 * is not a regular one (systemd's codes for these; not -EINVAL, which
 * fchown() gives for a gid the namespace does not map): nothing changed
 * then, nor after a refused chown.
 */
int grant_attr(int dirfd, const char *attr, gid_t gid);

/*
 * Says why a grant failed, one line on err (nothing if err is NULL):
 * "chargerd: OPT: OBJ: WHY", or "chargerd: OPT: OBJ/ATTR: WHY" when attr
 * (the attribute that failed, as the grants below give it) is not NULL.
 * WHY is strerror(-r), but for an attribute's -ELOOP, -EISDIR and
 * -EBADFD (grant_attr()'s refusals of what is not a regular file), which
 * are said in words.
 */
void grant_say(FILE *err, const char *opt, const char *obj, const char *attr, int r);

/*
 * Open the charger name (a directory of the power_supply class directory
 * classfd) to the group gid: constant_charge_current, then
 * charge_behaviour, the attributes chargerd writes (charger.c), each by
 * grant_attr(). Either may be missing (a charger without it: nothing to
 * open). charge_behaviour comes last and stops at the first failure, so
 * its write bit says both are granted. 0, or -errno: -EINVAL for a name
 * that is not one directory entry ("", ".", "..", a '/'), -ENOENT for no
 * such supply, else grant_attr()'s, with *attr (if attr is not NULL) the
 * attribute's name (static; NULL when the supply itself failed).
 */
int charger_grant(int classfd, const char *name, gid_t gid, const char **attr);

/*
 * Whether the supply name of classfd has an attribute charger_grant()
 * would open: 1 if it has one, 0 if it has neither (nothing to open, no
 * group needed), or -errno: -EINVAL for a name that is not one directory
 * entry, -ENOENT for no such supply, else openat()'s or faccessat()'s
 * (an attribute that could not be looked up is not a missing one; *attr,
 * as charger_grant() gives it, says which). A symbolic link in an
 * attribute's place counts, so that charger_grant() refuses it aloud.
 */
int charger_grantable(int classfd, const char *name, const char **attr);

/*
 * How many supplies of classfd chargerd may drive under cfg
 * (supply_may_drive()) have an attribute charger_grant() would open, or
 * could not be looked at (charger_grantable()'s error but -ENOENT: so that
 * the grant names it), or -errno if the class directory could not be
 * listed. The unit's start asks before it needs the chargerd group: with
 * none there is nothing to open to it.
 */
int charger_candidates(int classfd, const struct chargerd_config *cfg);

/*
 * charger_grant() on every supply of classfd that chargerd may drive under
 * cfg (supply_may_drive(): the pinned charger, or with none every USB or
 * Mains supply that is not a peripheral's), each whatever the others
 * gave: a start or a reload grants any supply a running chargerd may
 * switch to, whatever udev's rule answered under an earlier configuration
 * or version. Each supply that fails, and a listing that fails, is named
 * with its error on err, one line each by grant_say() (the attribute too
 * when one failed; none if err is NULL). 0, or the
 * first supply's failure (-errno), else the listing's.
 */
int charger_grant_candidates(int classfd, const struct chargerd_config *cfg, gid_t gid, FILE *err);

#endif
