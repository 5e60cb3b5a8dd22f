/* privs.c: what nvad keeps of root's powers once it has opened its sockets.
 * It may switch to another user (--user USER[:GROUP]) and always drops every
 * capability but CAP_NET_ADMIN (kernel routes, VXLAN links, netlink buffers)
 * and, when its BGP port is below 1024, CAP_NET_BIND_SERVICE (a reload that
 * changes the AS or router id binds the port again). Uses libcap. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "nvad.h"

/* A user or group given by name or number; false when it is neither a name
 * of the database nor a number. */
static bool id_number(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v >= (unsigned long)(uid_t)-1)
		return false;
	*out = v;
	return true;
}

bool nvad_user_parse(const char *spec, struct nvad_user *u, char *err, size_t errlen)
{
	char name[256];
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	*u = (struct nvad_user){ 0 };
	if (ulen == 0 || ulen >= sizeof(name) || (colon && colon[1] == '\0')) {
		snprintf(err, errlen, "--user: '%s' is not USER or USER:GROUP", spec);
		return false;
	}
	memcpy(name, spec, ulen);
	name[ulen] = '\0';
	unsigned long n;
	struct passwd *pw = getpwnam(name);
	if (!pw && id_number(name, &n))
		pw = getpwuid((uid_t)n);
	if (!pw) {
		snprintf(err, errlen, "--user: no user '%s' in the user database", name);
		return false;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
	if (colon) {
		const char *gname = colon + 1;
		struct group *gr = getgrnam(gname);
		if (!gr && id_number(gname, &n))
			gr = getgrgid((gid_t)n);
		if (!gr) {
			snprintf(err, errlen, "--user: no group '%s' in the group database", gname);
			return false;
		}
		u->gid = gr->gr_gid;
	}
	u->set = true;
	return true;
}

/* The capabilities nvad keeps, of those it has: a process started without
 * them (a test on a high port) keeps what it has of the list. */
static const cap_value_t kept_caps[] = { CAP_NET_ADMIN, CAP_NET_BIND_SERVICE };

static bool keeps(cap_value_t c, bool bind_low)
{
	return c == CAP_NET_ADMIN || (c == CAP_NET_BIND_SERVICE && bind_low);
}

/* Takes every capability not kept out of the bounding set (needs
 * CAP_SETPCAP, so before the final cap_set_proc). */
static bool drop_bounding(bool bind_low, char *err, size_t errlen)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		if (keeps(c, bind_low) || CAP_IS_SUPPORTED(c) == 0)
			continue;
		if (cap_drop_bound(c) != 0) {
			int e = errno;
			char *name = cap_to_name(c);
			snprintf(err, errlen, "cannot drop %s from the bounding set: %s",
				 name ? name : "a capability", strerror(e));
			cap_free(name);
			return false;
		}
	}
	return true;
}

static bool switch_user(const struct nvad_user *u, char *err, size_t errlen)
{
	if (setgroups(1, &u->gid) != 0 || setgid(u->gid) != 0) {
		snprintf(err, errlen, "cannot switch to group %u: %s", (unsigned)u->gid, strerror(errno));
		return false;
	}
	/* Keeps the permitted set across setuid; the effective set is
	 * cleared by it and set again by the caller. */
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) != 0 || setuid(u->uid) != 0) {
		snprintf(err, errlen, "cannot switch to user %s (%u): %s", u->name, (unsigned)u->uid,
			 strerror(errno));
		return false;
	}
	prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
	if (setuid(0) == 0 && u->uid != 0) { /* must be impossible now */
		snprintf(err, errlen, "switched to user %s, but could switch back to root", u->name);
		return false;
	}
#if defined(__SANITIZE_ADDRESS__)
	/* LeakSanitizer inspects the process with ptrace at exit, which a
	 * process that changed its uid refuses. Sanitized test builds only. */
	prctl(PR_SET_DUMPABLE, 1L, 0L, 0L, 0L);
#endif
	return true;
}

/* Threads of the process: capset changes the calling thread only, so every
 * other thread would keep root's capabilities. */
static size_t thread_count(void)
{
	size_t n = 0;
	DIR *dir = opendir("/proc/self/task");
	if (!dir)
		return 0;
	for (struct dirent *e; (e = readdir(dir));)
		n += e->d_name[0] != '.';
	closedir(dir);
	return n;
}

bool nvad_privs_drop(const struct nvad_user *u, bool bind_low, char *err, size_t errlen)
{
	if (thread_count() > 1) {
		snprintf(err, errlen, "cannot drop capabilities: %zu threads run already (they would "
				      "keep theirs)", thread_count());
		return false;
	}
	cap_t have = cap_get_proc();
	cap_t want = cap_init();
	bool ok = false;
	if (!have || !want) {
		snprintf(err, errlen, "cannot read the process capabilities: %s", strerror(errno));
		goto out;
	}
	cap_flag_value_t can_setpcap = CAP_CLEAR;
	cap_get_flag(have, CAP_SETPCAP, CAP_EFFECTIVE, &can_setpcap);
	if (can_setpcap == CAP_SET && !drop_bounding(bind_low, err, errlen))
		goto out;
	if (u && u->set && !switch_user(u, err, errlen))
		goto out;
	for (size_t i = 0; i < sizeof(kept_caps) / sizeof(kept_caps[0]); i++) {
		cap_value_t c = kept_caps[i];
		cap_flag_value_t v = CAP_CLEAR;
		cap_get_flag(have, c, CAP_PERMITTED, &v);
		if (v != CAP_SET || !keeps(c, bind_low))
			continue;
		if (cap_set_flag(want, CAP_PERMITTED, 1, &c, CAP_SET) != 0 ||
		    cap_set_flag(want, CAP_EFFECTIVE, 1, &c, CAP_SET) != 0)
			goto fail;
	}
	if (cap_set_proc(want) != 0 || cap_reset_ambient() != 0)
		goto fail;
	/* Nothing nvad could execute may gain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0)
		goto fail;
	ok = true;
	goto out;
fail:
	snprintf(err, errlen, "cannot set the process capabilities: %s", strerror(errno));
out:
	cap_free(have);
	cap_free(want);
	return ok;
}

void nvad_privs_describe(char *buf, size_t len)
{
	cap_t now = cap_get_proc();
	char *text = now ? cap_to_text(now, NULL) : NULL;
	snprintf(buf, len, "uid %u, gid %u, capabilities %s", (unsigned)getuid(), (unsigned)getgid(),
		 text ? text : "unknown");
	cap_free(text);
	cap_free(now);
}
