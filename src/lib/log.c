/* log.c: log lines with a level, a timestamp on standard error, or syslog. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static const struct {
	const char *name, *alias;
	int syslog_prio;
} levels[] = {
	[LOG_LVL_ERR] = { "error", "errors", LOG_ERR },
	[LOG_LVL_WARN] = { "warning", "warnings", LOG_WARNING },
	[LOG_LVL_NOTICE] = { "notice", "notifications", LOG_NOTICE },
	[LOG_LVL_INFO] = { "info", "informational", LOG_INFO },
	[LOG_LVL_DEBUG] = { "debug", "debugging", LOG_DEBUG },
};

#define N_LEVELS (int)(sizeof(levels) / sizeof(levels[0]))

bool log_level_parse(const char *s, int *level)
{
	for (int i = 0; i < N_LEVELS; i++) {
		if (strcmp(s, levels[i].name) == 0 || strcmp(s, levels[i].alias) == 0) {
			*level = i;
			return true;
		}
	}
	return false;
}

const char *log_level_name(int level)
{
	return level >= 0 && level < N_LEVELS ? levels[level].name : "?";
}

void log_open(struct logger *l, const char *tag, int level, bool to_syslog)
{
	l->tag = tag;
	l->level = level;
	l->to_syslog = to_syslog;
	if (to_syslog)
		openlog(tag, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_msg(const struct logger *l, int level, const char *fmt, ...)
{
	if (!l || level > l->level || level < 0 || level >= N_LEVELS)
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (l->to_syslog) {
		syslog(levels[level].syslog_prio, "%s", line);
		return;
	}
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s: %s\n", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
		l->tag ? l->tag : "", levels[level].name, line);
}
