/* policy_int.h: the compiled form of the policy objects, shared by the files
 * of src/policy only. Names are resolved once at compile time: a route-map
 * clause points straight at the list it names (NULL when undefined). */
#ifndef NVAD_POLICY_POLICY_INT_H
#define NVAD_POLICY_POLICY_INT_H

#include <regex.h>

#include "policy/policy.h"

struct pol_plist_entry {
	bool permit;
	struct prefix pfx;
	uint8_t lo, hi; /* accepted lengths, inclusive */
};

struct pol_plist {
	char *name;
	uint8_t family;
	struct pol_plist_entry *e;
	size_t n;
};

struct pol_regex_entry {
	bool permit;
	bool compiled;
	regex_t re;
};

struct pol_aslist {
	char *name;
	struct pol_regex_entry *e;
	size_t n;
};

struct pol_clist_entry {
	bool permit;
	bool expanded;
	bool internet;   /* standard entry naming `internet`: matches any route */
	uint8_t *vals;   /* standard: sorted unique values, 4 or 12 octets each */
	size_t n;
	struct pol_regex_entry rx; /* expanded */
};

struct pol_clist {
	char *name;
	bool large;
	struct pol_clist_entry *e;
	size_t n;
};

struct pol_rmap;

struct pol_clause {
	enum conf_rm_kind kind;
	const void *ref;       /* the list a match names, NULL if undefined */
	bool exact;            /* exact-match */
	bool flag;             /* peer-address, none, last-as, any, all */
	bool additive;         /* set [large-]community ... additive */
	int8_t sign;           /* set metric +N / -N */
	uint32_t num;          /* metric, local-pref, weight, origin, last-as N;
				* replace: the new AS (0: our AS toward the peer) */
	uint32_t num2;         /* replace: the AS to replace (when !flag) */
	uint32_t *asns;        /* prepend / exclude */
	size_t n_asns;
	uint8_t *vals;         /* set [large-]community: sorted unique values */
	size_t n_vals;
	struct ipaddr addr;    /* next-hop, src */
};

struct pol_rm_entry {
	uint32_t seq;
	bool permit;
	struct pol_clause *matches, *sets;
	size_t n_matches, n_sets;
	bool has_call;
	const struct pol_rmap *call; /* NULL when the called map is undefined */
	enum conf_rm_exit exit_policy;
	uint32_t goto_seq;
};

struct pol_rmap {
	char *name;
	struct pol_rm_entry *e;
	size_t n;
};

struct policy {
	struct pol_plist *plists;
	size_t n_plists;
	struct pol_aslist *aslists;
	size_t n_aslists;
	struct pol_clist *clists;
	size_t n_clists;
	struct pol_rmap *rmaps;
	size_t n_rmaps;
};

/* Lookups (binary search over arrays sorted by name; NULL when undefined). */
const struct pol_plist *pol_find_plist(const struct policy *pol, uint8_t family, const char *name);
const struct pol_aslist *pol_find_aslist(const struct policy *pol, const char *name);
const struct pol_clist *pol_find_clist(const struct policy *pol, bool large, const char *name);
const struct pol_rmap *pol_find_rmap(const struct policy *pol, const char *name);

/* plist.c */
bool pol_plist_build(struct pol_plist *out, const struct conf_prefix_list *in);
void pol_plist_free(struct pol_plist *l);
enum policy_verdict pol_plist_apply(const struct pol_plist *l, const struct prefix *p);

/* aspath_regex.c */
/* Compiles an FRR regex (`_` = "(^|[,{}() ]|$)"); false with a message. */
bool pol_regex_compile(const char *frr_regex, struct pol_regex_entry *e, char *err, size_t errlen);
void pol_regex_free(struct pol_regex_entry *e);
bool pol_regex_match(const struct pol_regex_entry *e, const char *s);
/* The path as FRR prints it, in a buffer the caller frees (NULL: no memory). */
char *pol_aspath_str(struct bgp_bytes path);
enum policy_verdict pol_aslist_apply(const struct pol_aslist *l, struct bgp_bytes path);
void pol_aslist_free(struct pol_aslist *l);

/* clist.c */
/* Parses one community word (well-known name, AA:NN or a number) or large
 * community A:B:C into 4 or 12 octets. */
bool pol_community_parse(const char *s, bool large, uint8_t *out);
/* Parses words, sorts them and drops duplicates as FRR does; *vals freed by
 * the caller. */
bool pol_values_parse(char **words, size_t n, bool large, uint8_t **vals, size_t *n_vals);
/* Sorts v (n values of 4 or 12 octets) and drops duplicates; returns the new n. */
size_t pol_values_sort_uniq(uint8_t *v, size_t n, bool large);
bool pol_clist_build(struct pol_clist *out, const struct conf_community_list *in,
		     const char *file, struct conf_errors *errs, bool *regex_failed);
void pol_clist_free(struct pol_clist *l);
bool pol_clist_match(const struct pol_clist *l, struct bgp_bytes v, bool exact);

/* routemap.c */
enum policy_verdict pol_rmap_apply(const struct policy *pol, const struct pol_rmap *m,
				   struct policy_ctx *ctx);

/* compile.c */
void pol_error(struct conf_errors *errs, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
