/* parse_int.h: what the parser's files share (not part of the API): the
 * parser state, the command tables' shape and the small word readers.
 * parse.c drives lines and dispatch; parse_bgp.c and parse_policy.c hold
 * the statements. */
#ifndef NVAD_CONF_PARSE_INT_H
#define NVAD_CONF_PARSE_INT_H

#include "conf/conf.h"

enum pnode { N_TOP, N_BGP, N_AF, N_RMAP, N_VTY, N_COUNT };
enum pres { P_OK, P_ERR, P_NOMATCH };

struct toks {
	const char *v[CONF_MAX_TOKENS];
	size_t n;
};

/* -1 unset, 0 off, 1 on: the explicit value of a version-dependent flag. */
enum pflag {
	PF_EBGP_POLICY,
	PF_IMPORT_CHECK,
	PF_LOG_NBR,
	PF_DET_MED,
	PF_SUPP_DUP,
	PF_GR_NOTIF,
	PF_HARD_RESET,
	PF_FAST_FAILOVER,
	PF_COUNT,
};

struct pstate {
	struct conf *c;
	struct conf_errors *errs;
	const char *filename;
	unsigned line;
	size_t n_errors;
	bool oom;
	enum pnode node;
	enum conf_afi afi;      /* in N_AF */
	size_t rmap;            /* in N_RMAP: index of the route-map */
	uint32_t rmap_seq;      /* and the entry's sequence number */
	int8_t flag[PF_COUNT];  /* explicit bgp flags, resolved at the end */
	bool timers_set;
	int tag;               /* struct cmd.tag of the running command */
};

typedef enum pres (*cmd_fn)(struct pstate *ps, const struct toks *a, bool no);

#define ARGS_ANY 255

/* The fewest arguments the positive form takes: a table may allow none so
 * that `no X` needs no value, and then a usage that is not optional
 * ("A.B.C.D", not "[force]") still asks for one. */
static inline size_t usage_min(const char *usage, size_t min)
{
	return min == 0 && usage[0] && usage[0] != '[' ? 1 : min;
}

struct cmd {
	enum pnode node;
	const char *words;  /* literal keywords, space separated */
	bool no_ok;         /* a "no " form exists */
	uint8_t min, max;   /* words after the keywords */
	cmd_fn fn;
	const char *usage;  /* what follows the keywords, for messages */
	int tag;            /* handed to fn in ps->tag */
};

struct cmd_table {
	const struct cmd *v;
	size_t n;
};

extern const struct cmd_table conf_bgp_cmds;
extern const struct cmd_table conf_policy_cmds;

/* Errors: "FILE:LINE: " + the message. Always returns P_ERR. */
enum pres perr(struct pstate *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum pres poom(struct pstate *ps);

/* Word readers; false when the word is not of the form. */
bool tok_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
bool tok_asn(const char *s, uint32_t *out); /* 1..4294967295 or asdot X.Y */
bool tok_name(struct pstate *ps, const char *what, const char *s);
bool tok_is(const char *s, const char *word);

/* Number of leading keywords of `words` that match the tokens from `from`;
 * 0 when they do not all match. */
size_t words_match(const char *words, const struct toks *t, size_t from);

/* Words from..n joined by one space, in a new string (NULL on OOM). */
char *toks_join(const struct toks *t, size_t from);
/* The tokens from `from` on, as a new toks. */
struct toks toks_from(const struct toks *t, size_t from);

char *xstrdup(struct pstate *ps, const char *s);
/* Grows *v (of elements of size sz) to hold n + 1; false on OOM. */
bool vec_grow(void **v, size_t *cap, size_t n, size_t sz);

/* Auto sequence numbers as FRR counts them: the highest, rounded down to a
 * multiple of 5, plus 5. */
uint32_t next_seq(uint32_t max_seq);

/* Frees what the model owns (conf.c). */
void conf_neighbor_release(struct conf_neighbor *n);
void conf_rm_clause_release(struct conf_rm_clause *cl);

#endif
