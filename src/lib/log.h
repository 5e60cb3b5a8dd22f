/* log.h: leveled log lines to standard error or syslog, through a logger
 * value (no global state): each BGP instance or program holds one. */
#ifndef NVAD_LIB_LOG_H
#define NVAD_LIB_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_NOTICE, LOG_LVL_INFO, LOG_LVL_DEBUG };

struct logger {
	int level;       /* lines above this level are dropped */
	bool to_syslog;  /* else standard error */
	const char *tag; /* program name in each line */
};

/* Parses "error", "warning", "notice", "info" or "debug" (FRR's names and
 * the syslog ones: "errors", "warnings", "informational", "debugging"). */
bool log_level_parse(const char *s, int *level);
const char *log_level_name(int level);

void log_open(struct logger *l, const char *tag, int level, bool to_syslog);
void log_msg(const struct logger *l, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_err(l, ...) log_msg((l), LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(l, ...) log_msg((l), LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(l, ...) log_msg((l), LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(l, ...) log_msg((l), LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(l, ...) log_msg((l), LOG_LVL_DEBUG, __VA_ARGS__)

#endif
