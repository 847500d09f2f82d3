// SPDX-License-Identifier: GPL-2.0
/*
 * chargerd: the charger agent. main() reads the configuration, opens
 * sysfs and the state directory, sets up the manager (manager.c), D-Bus
 * (bus.c) and the signals, takes the first snapshot, resumes the saved
 * session, and runs the sd-event loop until SIGTERM, when it saves the
 * session and hands charging back to the charger.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <netlink/socket.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "chargerd.h"
#include "file.h"
#include "grant.h"

#define CLASS_DIR	"/sys/class/power_supply"
#define STATE_DIR	"/var/lib/chargerd"
#define RUN_DIR		"/run/chargerd"

/*
 * What a successor resumes from, saved at every exit: the session open on
 * disk, the clock step not yet said, the supplies seen gone (a restart's
 * wait goes on).
 */
static void save_for_successor(struct daemon *d)
{
	clock_watch_flush(d);
	checkpoint(d, true);
	gone_save(d);
}

static int on_signal(sd_event_source *src, const struct signalfd_siginfo *si, void *data)
{
	struct daemon *d = data;

	d->stopping = true;
	sd_notify(0, "STOPPING=1");
	save_for_successor(d);
	release_policy(d);
	return sd_event_exit(sd_event_source_get_event(src), 0);
}

static int on_sighup(sd_event_source *src, const struct signalfd_siginfo *si, void *data)
{
	reload_config(data);
	return 0;
}

/* The state directory: history and settings. Without it chargerd still runs. */
static void setup_state(struct daemon *d, const char *dir)
{
	char path[512], err[512];
	struct session_record saved, ended;
	struct session_clock clock = { 0 };
	struct wall_time wall;
	int r;

	d->statefd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->statefd < 0) {
		agent_error("opening the state directory", errno);
		return;
	}
	d->state_dir = dir;
	/* the file parsed: what a start whose file does not will run on */
	if (d->cfg_fallback == CONFIG_FROM_FILE &&
	    (r = config_save_in_force(&d->cfg, d->statefd)) < 0)
		agent_error("keeping the configuration in force", -r);
	snprintf(path, sizeof(path), "%s/" SETTINGS_FILE, dir);
	if (config_load(&d->cfg, path, err, sizeof(err)))
		log_settings_ignored(err);
	r = history_open(&d->hist, d->statefd, d->cfg.max_sessions);
	if (r < 0) {
		agent_error("opening the session history", -r);
		return;
	}
	d->have_hist = true;
	d->pub.hist = &d->hist;
	if (d->hist.read_only)
		agent_error("the state directory cannot be written: the history is shown, "
			    "but no session is recorded until it can", d->hist.read_only);
	undated_load(d);
	if (d->hist.torn || d->hist.corrupt)
		log_history_repaired(d->hist.torn, d->hist.corrupt, d->hist.kept,
				     d->hist.keep_error);
	r = history_load_current(&d->hist, &saved);
	wall_time_now(&wall);
	if (r == -EALREADY) {
		/* logged, then chargerd stopped before clearing it: not twice */
		sd_journal_print(LOG_INFO, "chargerd: session %llu was in the history already; not resumed",
				 (unsigned long long)saved.id);
		history_clear_current(&d->hist);
	} else if (r == -EINVAL) {
		char kept[HISTORY_KEPT_MAX];

		/* kept aside, then cleared: never deleted, but not resumed either */
		r = history_keep_aside(d->statefd, HISTORY_CURRENT, kept, sizeof(kept));
		snprintf(err, sizeof(err), "the saved session in progress is corrupt; %s%s",
			 r ? "it could not be kept aside and stays until the next checkpoint" :
			 "kept as ", r ? "" : kept);
		agent_error(err, r ? -r : EINVAL);
		if (!r)
			history_clear_current(&d->hist);
	} else if (!r && !session_resume(&d->sess, &saved, &d->snap,
					 session_clock_load(d, &clock) ? NULL : &clock, &wall,
					 &ended)) {
		store_session(d, &ended, &clock);
	} else if (!r) {
		/*
		 * the faults kept for the session go on with it: a restart (an
		 * upgrade) hid a thermal shutdown the history still listed
		 * (helper-73: a steady LED, "no charging problem found")
		 */
		d->evid.session_faults |= saved.faults;
		/* the count saved, kept if it cannot be read now (session_clock_save()) */
		if (clock.id == saved.id && clock.charger_ino)
			session_clock_keep(d, &clock);
		session_clock_save(d);
		samples_open(d, saved.id);
		plot_event(d, "chargerd restarted");
		load_test_load(d);
	}
}

/*
 * The bus not there at start, or refusing the name for now (dbus-daemon
 * not yet reading a policy the package just installed): tried again, from
 * BUS_RETRY_FIRST_USEC, twice as long each time, up to BUS_RETRY_MAX_USEC;
 * on D-Bus's time alone, no wakeup once connected (helper-84: it ran for
 * good without D-Bus, chargerctl saying "not running").
 */
#define BUS_RETRY_FIRST_USEC	(5ULL * 1000000)
#define BUS_RETRY_MAX_USEC	(300ULL * 1000000)

static int on_bus_retry(sd_event_source *src, uint64_t usec, void *data)
{
	struct daemon *d = data;
	int r = bus_setup(&d->bus, d->ev, &d->pub, d->rundirfd);

	if (r == -EEXIST) {
		/* another chargerd took the name meanwhile: one drives the charger */
		agent_error("another chargerd owns the bus name; exiting", EEXIST);
		return sd_event_exit(d->ev, 1);
	}
	if (r < 0) {
		d->bus_retry_usec = d->bus_retry_usec * 2 > BUS_RETRY_MAX_USEC ?
				    BUS_RETRY_MAX_USEC : d->bus_retry_usec * 2;
		sd_event_source_set_time_relative(src, d->bus_retry_usec);
		return sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	}
	sd_journal_print(LOG_NOTICE, "chargerd: connected to the system bus");
	bus_publish(&d->bus);
	d->bus_retry = sd_event_source_disable_unref(src);
	return 0;
}

/*
 * The configuration last in force (config.h's CONFIG_IN_FORCE_FILE in the
 * state directory dir) into c: 0; else the defaults, the history's bound
 * at its largest (a typo never cuts the history), and -1.
 */
static int config_in_force(struct chargerd_config *c, const char *dir)
{
	char path[512], err[512];
	unsigned long lo, hi;

	config_defaults(c);
	snprintf(path, sizeof(path), "%s/" CONFIG_IN_FORCE_FILE, dir);
	if (!access(path, R_OK) && !config_load(c, path, err, sizeof(err)))
		return 0;
	config_defaults(c);
	if (!config_range("history", "max_sessions", &lo, &hi))
		c->max_sessions = hi;
	return -1;
}

/* One of --grant-led and --grant-charger: asked for, and for which name (NULL: any) */
struct grant_req {
	bool on;
	const char *name;
};

/* The chargerd group's id, or false after saying on stderr that there is none. */
static bool chargerd_gid(const char *opt, gid_t *gid)
{
	const struct group *gr = getgrnam("chargerd");

	if (!gr) {
		fprintf(stderr, "chargerd: %s: no group chargerd\n", opt);
		return false;
	}
	*gid = gr->gr_gid;
	return true;
}

/*
 * --grant-led[=NAME]: the LED the agent will drive (led_find() over the
 * configured [led] name, as status_led_show() finds it) opened to the
 * chargerd group, with the timer trigger. udev runs it for each LED added,
 * with its name: one that is not the agent's is left alone. 0 (also when
 * there is no such LED: nothing to do), or 1 after an error on stderr.
 */
static int grant_led(const struct chargerd_config *cfg, const char *name)
{
	_cleanup_(closep) int classfd = open("/sys/class/leds", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	static char *const modprobe[] = { "modprobe", "-q", "ledtrig-timer", NULL };
	char found[CONFIG_NAME_MAX];
	const char *attr;
	pid_t pid;
	gid_t gid;
	int r;

	if (classfd < 0 || led_find(classfd, cfg->led, found, sizeof(found)))
		return 0;
	if (name && strcmp(name, found))
		return 0;
	if (!chargerd_gid("--grant-led", &gid))
		return 1;
	/* the timer trigger is a module on Debian's kernels, not loaded on its own */
	if (!posix_spawn(&pid, "/sbin/modprobe", NULL, NULL, modprobe, environ))
		waitpid(pid, NULL, 0);
	r = led_grant(classfd, found, gid, &attr);
	if (r < 0)
		grant_say(stderr, "--grant-led", found, attr, r);
	return r < 0;
}

/*
 * --grant-charger[=NAME]: every supply the agent may drive as its charger
 * (supply_may_drive(): the configured [supplies] charger, or with none
 * every USB or Mains supply that is not a peripheral's, as it may switch
 * to another without a restart) gets the two attributes its policies
 * write opened to the chargerd group, charge_behaviour's group-write bit
 * last and only if all went well (charger_grant()). Without NAME (the
 * unit's start and reload) all of them, so that an answer udev's rule kept
 * under an earlier configuration or version does not stay in the way.
 * udev's rule runs it with the supply's name while that bit is missing,
 * as IMPORT{program}: it prints CHARGERD_GRANT=granted for a supply the
 * agent may drive, or CHARGERD_GRANT=other for any other (left alone),
 * which the rule keeps in udev's database so that the supply's later
 * change uevents run nothing. 0 (also when there is nothing to open: no
 * such charger without NAME, or NAME with neither attribute; then nothing
 * is printed and the chargerd group need not exist), or 1 after an error
 * on stderr, every supply that failed named, NAME too when it is the
 * pinned charger and not there (nothing printed on stdout: the rule tries
 * again at the supply's next change).
 */
static int grant_charger(const struct chargerd_config *cfg, bool cfg_ok, const char *name)
{
	_cleanup_(closep) int classfd = open(CLASS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *attr = NULL;
	gid_t gid;
	int r;

	/*
	 * A file that does not parse, and no configuration kept from one that
	 * did: no pin is known, and the defaults' every USB or Mains supply
	 * would open a charger a pin keeps out. Nothing is granted until the
	 * file is mended: the rule is told "other" (no spawn at each uevent
	 * meanwhile), a start or reload grants nothing and says so.
	 */
	if (!cfg_ok) {
		if (name) {
			printf("CHARGERD_GRANT=other\n");
			return 0;
		}
		fprintf(stderr, "chargerd: --grant-charger: no charger granted until the "
			"configuration parses\n");
		return 1;
	}
	/* a passing error is no answer: udev would keep "other" for good */
	if (classfd < 0) {
		fprintf(stderr, "chargerd: --grant-charger: %s: %s\n", CLASS_DIR, strerror(errno));
		return 1;
	}
	/* any supply chargerd may drive: it may pick another without a restart */
	if (name && !supply_may_drive(classfd, cfg, name)) {
		printf("CHARGERD_GRANT=other\n");
		return 0;
	}
	/*
	 * Nothing to open (a device with no charger of its own, or one with
	 * neither attribute): 0, silent, whether or not the group exists. A
	 * named supply with neither prints nothing either: udev keeps no
	 * answer, and asks again at its next change.
	 */
	r = name ? charger_grantable(classfd, name, &attr) : charger_candidates(classfd, cfg);
	if (r < 0) {
		if (name)
			grant_say(stderr, "--grant-charger", name, attr, r);
		else
			fprintf(stderr, "chargerd: --grant-charger: listing the power supplies: %s\n",
				strerror(-r));
		return 1;
	}
	if (!r)
		return 0;
	if (!chargerd_gid("--grant-charger", &gid))
		return 1;
	if (!name)
		return charger_grant_candidates(classfd, cfg, gid, stderr) < 0;
	r = charger_grant(classfd, name, gid, &attr);
	if (r < 0) {
		grant_say(stderr, "--grant-charger", name, attr, r);
		return 1;
	}
	printf("CHARGERD_GRANT=granted\n");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "hand-back", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "grant-led", optional_argument, NULL, 'L' },
		{ "grant-charger", optional_argument, NULL, 'G' },
		{ "check-config", no_argument, NULL, 'k' },
		{ }
	};
	_cleanup_(daemon_done) struct daemon d = {
		.config_path = "/etc/chargerd/chargerd.conf", .classfd = -1, .statefd = -1,
		.samplefd = -1, .rundirfd = -1, .written_ua = -1, .refused_ua = -1,
		.floor_ua = -1, .written_inhibit = -1,
		.led = { .classfd = -1, .shown = LED__COUNT },
		.pcm = { .fd = -1, .wd = -1 },
	};
	const char *state = getenv("STATE_DIRECTORY"), *run = getenv("RUNTIME_DIRECTORY");
	struct grant_req grant_led_req = { }, grant_charger_req = { };
	bool hand_back = false, check_config = false, grant, cfg_ok;
	char cfg_err[1536];
	char err[1024];	/* every error of the file, bounded by config_load() */
	sigset_t ss;
	int o, ret;

	psy_files_init(&d.chg_files);
	psy_files_init(&d.bat_files);
	/* getopt's own messages name the program as ours do, however it was run */
	if (argc > 0)
		argv[0] = (char *)"chargerd";
	while ((o = getopt_long(argc, argv, "c:bh", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			d.config_path = optarg;
			break;
		case 'b':
			hand_back = true;
			break;
		case 'h':
			printf("usage: chargerd [--config FILE]\n"
			       "               [--hand-back | [--grant-led[=NAME]] [--grant-charger[=NAME]]]\n"
			       "               [--check-config] [--version]\n"
			       "  --hand-back  leave the charger charging on its own (charge_behaviour\n"
			       "               auto, the charge current as before chargerd), and exit:\n"
			       "               the unit's ExecStopPost=, after every stop and crash\n"
			       "  --grant-led[=NAME]  open the status LED the configuration names to the\n"
			       "               chargerd group (as root: udev's rule, the unit's start\n"
			       "               and reload); with NAME, only if that is the LED\n"
			       "  --grant-charger[=NAME]  the same for the two attributes chargerd\n"
			       "               writes (constant_charge_current, charge_behaviour)\n"
			       "               of every supply it may drive; with NAME, that one\n"
			       "  --check-config  read the configuration and exit: 0 if it parses\n"
			       "               (no file: the defaults, said on stderr), else 1 with\n"
			       "               the file, the line and why (the unit's reload, before\n"
			       "               it signals the running chargerd)\n");
			return 0;
		case 'V':
			printf("chargerd " CHARGERD_VERSION "\n");
			return 0;
		case 'L':
			grant_led_req = (struct grant_req){ .on = true, .name = optarg };
			break;
		case 'G':
			grant_charger_req = (struct grant_req){ .on = true, .name = optarg };
			break;
		case 'k':
			check_config = true;
			break;
		default:
			return 2;
		}
	}
	/* nothing takes a word of its own: "--grant-led NAME" would grant any LED */
	if (optind < argc) {
		fprintf(stderr, "chargerd: unexpected argument '%s'%s\n", argv[optind],
			(grant_led_req.on && !grant_led_req.name) ||
			(grant_charger_req.on && !grant_charger_req.name) ?
			" (a name goes as --grant-led=NAME, --grant-charger=NAME)" : "");
		return 2;
	}
	if ((grant_led_req.name && !grant_led_req.name[0]) ||
	    (grant_charger_req.name && !grant_charger_req.name[0])) {
		fprintf(stderr, "chargerd: an empty NAME: give one, or no '='\n");
		return 2;
	}
	if ((grant_led_req.on || grant_charger_req.on) && hand_back) {
		fprintf(stderr, "chargerd: --hand-back and the grants are separate runs\n");
		return 2;
	}
	if (check_config && (grant_led_req.on || grant_charger_req.on || hand_back)) {
		fprintf(stderr, "chargerd: --check-config is a run of its own\n");
		return 2;
	}

	grant = grant_led_req.on || grant_charger_req.on;
	config_defaults(&d.cfg);
	cfg_ok = !config_load(&d.cfg, d.config_path, err, sizeof(err));
	/*
	 * the unit's reload checks before it signals: a file that does not
	 * parse fails "systemctl reload" with the reason (helper-84: it said
	 * done, the refusal only in the journal), at error priority there
	 */
	if (check_config) {
		if (!cfg_ok)
			config_error_print(stderr, config_fd_is_journal(STDERR_FILENO) ?
					   SD_ERR "chargerd: " : "chargerd: ", err);
		/* no file is the defaults, but a mistyped path should not pass unsaid */
		else if (access(d.config_path, F_OK) && errno == ENOENT)
			fprintf(stderr, "%schargerd: %s: no such file: the defaults apply\n",
				config_fd_is_journal(STDERR_FILENO) ? SD_NOTICE : "", d.config_path);
		return !cfg_ok;
	}
	if (!cfg_ok) {
		unsigned int tell = config_error_sinks(!hand_back && !grant, STDERR_FILENO);

		/*
		 * A broken file never keeps charging held, nor leaves it
		 * unwatched (helper-83: one typo pushed to a device stopped
		 * chargerd, its heat stop gone with it): everything runs on
		 * the configuration the last file that parsed gave, kept in
		 * the state directory (the product's limits, pins and history
		 * bound: helper-85), else on the defaults with the history
		 * never cut, and says why at each start until it is mended:
		 * once, as one journal record (systemctl status shows it), on
		 * stderr only where that is not the journal too. The grants
		 * before a start and the hand-back after a stop run on the
		 * same fallback and, under the unit, leave the saying to the
		 * start (a failed start logged it three times, and at the stop
		 * once more): config_error_sinks().
		 */
		d.cfg_fallback = config_in_force(&d.cfg, state ? state : STATE_DIR) ?
				 CONFIG_ON_DEFAULTS : CONFIG_ON_KEPT;
		if (!hand_back && !grant)
			snprintf(cfg_err, sizeof(cfg_err),
				 "the configuration does not parse; running on %s until it is "
				 "mended (systemctl reload chargerd; the supplies and the "
				 "history's bound at the next start): %s",
				 d.cfg_fallback == CONFIG_ON_KEPT ?
				 "the one last in force (" CONFIG_IN_FORCE_FILE ")" :
				 "the defaults, the history not cut", err);
		else
			snprintf(cfg_err, sizeof(cfg_err), "%s", err);
		if (tell & CONFIG_TELL_STDERR)
			config_error_print(stderr, "chargerd: ", cfg_err);
		if (tell & CONFIG_TELL_JOURNAL)
			log_config_refused(cfg_err);
	}
	if (grant) {
		ret = grant_led_req.on ? grant_led(&d.cfg, grant_led_req.name) : 0;
		return grant_charger_req.on ?
		       grant_charger(&d.cfg, cfg_ok || d.cfg_fallback == CONFIG_ON_KEPT,
				     grant_charger_req.name) | ret : ret;
	}
	d.start_usec = now_usec();
	d.perm_grace_usec = d.start_usec;
	session_init(&d.sess);
	ratelimit_init(&d.rl, (uint64_t)d.cfg.ratelimit_interval_s * 1000000, d.cfg.ratelimit_burst);
	d.classfd = open(CLASS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.classfd < 0) {
		fprintf(stderr, "chargerd: %s: %s\n", CLASS_DIR, strerror(errno));
		return 1;
	}
	d.rundirfd = open(run ? run : RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/*
	 * One chargerd drives the charger. A second (run by hand beside the
	 * service) wrote the same attributes, and at its stop handed back
	 * over the first one's pause (helper-84); a hand-back after a start
	 * that failed because one runs would do the same. The one running
	 * holds the runtime directory locked for its life (flock(2): gone
	 * with the process, however it ends); the bus name is the second
	 * guard (bus_setup()).
	 */
	if (d.rundirfd >= 0 && flock(d.rundirfd, (hand_back ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		if (errno != EWOULDBLOCK) {
			agent_error("locking the runtime directory", errno);
		} else if (hand_back) {
			fprintf(stderr, "chargerd: another chargerd drives the charger (it holds %s): "
				"nothing handed back\n", run ? run : RUN_DIR);
			return 0;
		} else {
			fprintf(stderr, "chargerd: another chargerd is running (it holds %s); "
				"stop it first (systemctl stop chargerd)\n", run ? run : RUN_DIR);
			return 1;
		}
	}
	if (hand_back) {
		char chg[CONFIG_NAME_MAX], bat[CONFIG_NAME_MAX];
		int leds, r;

		/* no charger: nothing to hand back; a failed write is journalled */
		ret = charger_hand_back_standalone(&d.cfg, d.classfd, d.rundirfd);
		/* and the LED, to the kernel's charging trigger (on if charging) or off */
		supplies_find(d.classfd, &d.cfg, chg, bat);
		leds = open("/sys/class/leds", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		r = led_hand_back(leds, d.cfg.led, bat, led_charging_handed_back(d.classfd, chg, bat));
		if (r < 0 && r != -ENOENT)
			agent_error("handing the LED back", -r);
		if (leds >= 0)
			close(leds);
		return ret < 0 && ret != -ENODEV;
	}
	d.led.classfd = open("/sys/class/leds", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	seen_load(&d);
	gone_load(&d);
	faults_load(&d);
	policy_load(&d);
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);

	/* sd-event calls return a negative errno, or >= 0 on success; each failure is logged */
	ret = sd_event_default(&d.ev);
	if (ret < 0)
		agent_error("creating the event loop", -ret);
	if (ret >= 0)
		ret = manager_start(&d);	/* logs its own steps */
	if (ret >= 0) {
		ret = sd_event_add_signal(d.ev, NULL, SIGTERM, on_signal, &d);
		if (ret >= 0)
			ret = sd_event_add_signal(d.ev, NULL, SIGINT, on_signal, &d);
		if (ret >= 0)
			ret = sd_event_add_signal(d.ev, NULL, SIGHUP, on_sighup, &d);
		if (ret < 0)
			agent_error("watching SIGTERM, SIGINT and SIGHUP", -ret);
	}
	if (ret >= 0) {
		ret = sd_event_set_watchdog(d.ev, true);
		if (ret < 0)
			agent_error("arming the systemd watchdog", -ret);
		/* the unit's timeout, which manager.c's watchdog_update() shortens at times */
		if (ret > 0 && sd_watchdog_enabled(false, &d.watchdog_usec) > 0)
			d.watchdog_now_usec = d.watchdog_usec;
		else
			d.watchdog_usec = 0;
	}
	if (ret < 0) {
		fprintf(stderr, "chargerd: cannot set up: %s\n", strerror(-ret));
		return 1;
	}
	ret = bus_setup(&d.bus, d.ev, &d.pub, d.rundirfd);
	if (ret == -EEXIST) {
		/* nothing written yet: the one running goes on alone */
		fprintf(stderr, "chargerd: another chargerd owns the bus name %s; "
			"stop it first (systemctl stop chargerd)\n", BUS_NAME);
		return 1;
	}
	if (ret < 0) {
		agent_error("connecting to the system bus (running without D-Bus, trying again)",
			    -ret);
		d.bus_retry_usec = BUS_RETRY_FIRST_USEC;
		if (sd_event_add_time_relative(d.ev, &d.bus_retry, CLOCK_BOOTTIME,
					       d.bus_retry_usec, 0, on_bus_retry, &d) < 0)
			d.bus_retry = NULL;
	}

	/* the socket is open before the first read: nothing falls between */
	take_snapshot(&d, &d.snap);
	setup_state(&d, state ? state : STATE_DIR);
	reevaluate(&d, "start");
	sd_notify(0, "READY=1");
	ret = sd_event_loop(d.ev);
	/*
	 * The bus closes at every exit of the loop (sd-bus's exit handler
	 * flushes and closes it): closed without a stop asked, it was lost.
	 */
	if (!d.stopping && d.bus.bus && sd_bus_is_open(d.bus.bus) <= 0) {
		agent_error("lost the system bus; exiting, for systemd to start chargerd again",
			    ECONNRESET);
		ret = 1;
	}
	/*
	 * Any other end than a stop (the bus lost, its name taken at a
	 * retry): as after kill -9, the limits in force stay; unlike it,
	 * what a successor resumes from is saved.
	 */
	if (!d.stopping)
		save_for_successor(&d);
	/* what the rate limiter held back, whatever ended the loop */
	journal_flush_held(&d);
	return ret != 0;
}
