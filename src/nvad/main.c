/* main.c: nvad, the routing daemon of an Azure NVA. Reads an FRR-style
 * configuration, runs BGP on the event loop, answers nvactl on a UNIX socket,
 * reloads on SIGHUP, stops cleanly on SIGTERM/SIGINT. Foreground, logging to
 * standard error (or syslog), as systemd expects. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvad.h"

static void usage(FILE *f)
{
	fputs("usage: nvad -f FILE [--check] [--socket PATH] [--port N] [--no-kernel] [--table N]\n"
	      "            [--user USER[:GROUP]] [--log-level LEVEL] [--syslog]\n"
	      "  -f, --config FILE   the configuration, in FRR's language\n"
	      "  -c, --check         validate the configuration and exit (0 valid, 1 not)\n"
	      "  -s, --socket PATH   control socket (default " CTL_DEFAULT_SOCKET ")\n"
	      "  -p, --port N        BGP port to listen on (default 179; 0: do not listen)\n"
	      "  -n, --no-kernel     keep routes out of the kernel (BGP's routes stay in BGP's\n"
	      "                      table, as with FRR's bgpd -n)\n"
	      "  -t, --table N       the kernel table for nvad's routes (default 254, main)\n"
	      "  -u, --user U[:G]    once the sockets are open, run as user U (group G, by\n"
	      "                      default U's own), keeping CAP_NET_ADMIN and, on a port\n"
	      "                      below 1024, CAP_NET_BIND_SERVICE (needs root)\n"
	      "  -g, --group G       the group for --user (as FRR's -g)\n"
	      "  -l, --log-level L   error, warning, notice, info or debug (default info)\n"
	      "      --syslog        log to syslog instead of standard error\n",
	      f);
}

struct options {
	const char *conf;
	const char *socket;
	bool check;
	bool no_kernel;
	bool syslog;
	int level;
	long port;
	long table;
	const char *user;  /* --user, as given */
	const char *group; /* --group */
	struct nvad_user run_as;
};

/* --user and --group into o->run_as, looked up now so that a bad name stops
 * nvad before anything starts. */
static int parse_user(struct options *o)
{
	char spec[300], err[300];
	if (!o->user && !o->group)
		return 0;
	if (!o->user) {
		fprintf(stderr, "nvad: --group '%s' goes with --user\n", o->group);
		return 2;
	}
	if (o->group && strchr(o->user, ':')) {
		fprintf(stderr, "nvad: --user '%s' names a group and --group '%s' another\n", o->user,
			o->group);
		return 2;
	}
	snprintf(spec, sizeof(spec), "%s%s%s", o->user, o->group ? ":" : "", o->group ? o->group : "");
	if (!nvad_user_parse(spec, &o->run_as, err, sizeof(err))) {
		fprintf(stderr, "nvad: %s\n", err);
		return 2;
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "no-kernel", no_argument, NULL, 'n' },
		{ "table", required_argument, NULL, 't' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "syslog", no_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct options){ .socket = CTL_DEFAULT_SOCKET, .level = LOG_LVL_INFO, .port = 179,
			       .table = 254 };
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "f:cs:p:nt:l:u:g:h", longs, NULL)) != -1) {
		switch (ch) {
		case 'f': o->conf = optarg; break;
		case 'c': o->check = true; break;
		case 's': o->socket = optarg; break;
		case 'n': o->no_kernel = true; break;
		case 'S': o->syslog = true; break;
		case 'u': o->user = optarg; break;
		case 'g': o->group = optarg; break;
		case 'p':
			errno = 0;
			o->port = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o->port < 0 || o->port > 65535) {
				fprintf(stderr, "nvad: --port: '%s' is not a port number (0-65535)\n", optarg);
				return 2;
			}
			break;
		case 't':
			errno = 0;
			o->table = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o->table < 1 || o->table > 0xfffffffeL ||
			    o->table == 255) {
				fprintf(stderr, "nvad: --table: '%s' is not a routing table number "
						"(1-4294967294, not 255, the local table)\n", optarg);
				return 2;
			}
			break;
		case 'l':
			if (!log_level_parse(optarg, &o->level)) {
				fprintf(stderr, "nvad: --log-level: '%s' is not one of error, warning, "
						"notice, info, debug\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nvad: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!o->conf) {
		fprintf(stderr, "nvad: no configuration file: give one with -f FILE\n");
		usage(stderr);
		return 2;
	}
	return parse_user(o);
}

/* --check: errors as FILE:LINE: message, warnings after; 0 when valid. */
static int check_only(const char *path)
{
	struct conf_errors errs = CONF_ERRORS_INIT, warns = CONF_ERRORS_INIT;
	struct policy *pol = NULL;
	struct conf *c = nvad_load(path, &pol, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.items[i].text);
	if (errs.truncated)
		fprintf(stderr, "%s: too many errors; stopped\n", path);
	if (c) {
		conf_warnings(c, &warns);
		for (size_t i = 0; i < warns.n; i++)
			fprintf(stderr, "%s\n", warns.items[i].text);
	}
	int rc = c ? 0 : 1;
	if (c)
		printf("%s: configuration is valid\n", path);
	policy_free(pol);
	conf_free(c);
	conf_errors_free(&errs);
	conf_errors_free(&warns);
	return rc;
}

static void on_signal(struct loop_fd *f, uint32_t events)
{
	struct nvad *d = f->ctx;
	(void)events;
	struct signalfd_siginfo si;
	while (read(f->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			struct strbuf out = STRBUF_INIT;
			nvad_reload(d, &out);
			strbuf_free(&out);
		} else {
			log_notice(&d->log, "signal %u: stopping", si.ssi_signo);
			loop_stop(d->loop);
		}
	}
}

static bool ensure_socket_dir(const char *path)
{
	char dir[256];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
		return true;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return mkdir(dir, 0755) == 0 || errno == EEXIST;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (o.check)
		return check_only(o.conf);
	if (o.run_as.set && geteuid() != 0) {
		fprintf(stderr, "nvad: --user %s needs nvad started as root (it runs as uid %u)\n",
			o.user, (unsigned)geteuid());
		return 1;
	}

	struct nvad d = { .conf_path = o.conf, .socket_path = o.socket, .port = (uint16_t)o.port,
			  .no_kernel = o.no_kernel, .table = (uint32_t)o.table };
	log_open(&d.log, "nvad", o.level, o.syslog);
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct policy *pol = NULL;
	struct conf *c = nvad_load(o.conf, &pol, &errs);
	if (!c) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.items[i].text);
		fprintf(stderr, "nvad: not started: the configuration has errors\n");
		conf_errors_free(&errs);
		return 1;
	}
	conf_errors_free(&errs);

	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d.loop = loop_new();
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (!d.loop || sfd < 0) {
		fprintf(stderr, "nvad: cannot set up the event loop: %s\n", strerror(errno));
		return 1;
	}
	struct loop_fd sig = { .fd = sfd, .events = EPOLLIN, .cb = on_signal, .ctx = &d };
	loop_fd_add(d.loop, &sig);

	if (!ensure_socket_dir(o.socket) ||
	    !(d.ctl = ctl_server_open(d.loop, o.socket, 0600, nvad_command, &d))) {
		fprintf(stderr, "nvad: cannot open the control socket %s: %s\n", o.socket,
			strerror(errno));
		return 1;
	}
	if (!nvad_kernel_init(&d, !o.no_kernel && !c->bgp_no_rib) || !nvad_local_init(&d)) {
		fprintf(stderr, "nvad: out of memory\n");
		return 1;
	}
	char err[256];
	if (!nvad_apply(&d, c, pol, err, sizeof(err))) {
		fprintf(stderr, "nvad: %s\n", err);
		policy_free(pol);
		conf_free(c);
		ctl_server_close(d.ctl);
		return 1;
	}
	/* Everything privileged is open: the listening and control sockets,
	 * netlink. What stays is what routes, links and a new listener need. */
	if (!nvad_privs_drop(&o.run_as, d.port != 0 && d.port < 1024, err, sizeof(err))) {
		fprintf(stderr, "nvad: %s\n", err);
		return 1;
	}
	nvad_kernel_start_sender(&d);
	char privs[300];
	nvad_privs_describe(privs, sizeof(privs));
	log_notice(&d.log, "started with %s%s; running as %s", o.conf,
		   o.no_kernel ? " (no kernel routes)" : "", privs);
	loop_run(d.loop);

	bgp_speaker_free(d.bgp);
	nvad_local_free(&d);
	nvad_kernel_free(&d);
	kernel_names_free(&d.vxlans); /* the interfaces stay, as the routes do */
	ctl_server_close(d.ctl);
	policy_free(d.policy);
	conf_free(d.conf);
	loop_fd_del(d.loop, &sig);
	close(sfd);
	loop_free(d.loop);
	log_notice(&d.log, "stopped");
	return 0;
}
