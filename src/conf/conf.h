/* conf.h: the configuration model of nvad, read from FRR's configuration
 * language (the subset in docs/configuration.md). A struct conf is a value:
 * built once by conf_parse(), never changed after, printed by conf_print(),
 * compared by conf_diff() and released by conf_free(). */
#ifndef NVAD_CONF_CONF_H
#define NVAD_CONF_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/strbuf.h"

/* ---- Limits of the reader (every input past them is an error). ---- */
#define CONF_MAX_FILE_SIZE (4u << 20)  /* conf_load_file */
#define CONF_MAX_LINE 4096             /* characters, without the newline */
#define CONF_MAX_TOKENS 64             /* words on one line */
#define CONF_MAX_NAME 128              /* names of lists, maps, peer-groups */
#define CONF_MAX_ERRORS 100            /* then one "too many errors" */

/* ---- Diagnostics: "FILE:LINE: message", in input order. ---- */
struct conf_diag {
	unsigned line; /* 1-based; 0 for the whole file */
	char *text;    /* the complete "FILE:LINE: message" */
};

struct conf_errors {
	struct conf_diag *items;
	size_t n, cap;
	bool truncated; /* more than CONF_MAX_ERRORS were found */
};

#define CONF_ERRORS_INIT { 0 }
void conf_errors_free(struct conf_errors *e);

/* ---- Versions and profiles (the `frr version` / `frr defaults` lines). ---- */
enum conf_profile { CONF_PROFILE_TRADITIONAL, CONF_PROFILE_DATACENTER };

/* Major/minor/patch as numbers; an absent `frr version` means nvad's target,
 * FRR 8.4. */
struct conf_version {
	uint16_t major, minor, patch;
};
#define CONF_VERSION_TARGET ((struct conf_version){ 8, 4, 0 })

/* The BGP defaults that depend on the version and the profile, as FRR's
 * bgpd declares them (see docs/configuration.md, "Defaults"). */
struct conf_bgp_defaults {
	bool fast_external_failover; /* always on */
	bool ebgp_requires_policy;  /* off for datacenter and before 7.4 */
	bool import_check;          /* off for traditional before 7.4 */
	bool log_neighbor_changes;  /* on for datacenter */
	bool deterministic_med;     /* on for datacenter */
	bool suppress_duplicates;   /* off before 7.6 */
	bool graceful_notification; /* off before 8.3 */
	bool hard_admin_reset;      /* off before 8.3 */
	bool enforce_first_as;      /* off before 9.1 (per neighbor before) */
	uint16_t keepalive;         /* 60, datacenter 3 */
	uint16_t holdtime;          /* 180, datacenter 9 */
	uint16_t connect_retry;     /* 120, datacenter 10 */
};

struct conf_bgp_defaults conf_bgp_defaults_for(struct conf_version v, enum conf_profile p);

/* ---- Header and harmless statements, kept verbatim. ---- */
enum conf_verbatim_section {
	CONF_SECTION_TOP,        /* with hostname and log, before the first "!" */
	CONF_SECTION_FORWARDING, /* `ip forwarding`: after the route-maps */
};

struct conf_verbatim {
	unsigned line;
	enum conf_verbatim_section section;
	char *text; /* the statement, words joined by one space */
};

struct conf_line_vty {
	unsigned line;
	char **lines; /* the statements inside, verbatim */
	size_t n;
};

/* ---- Static routes. ---- */
enum conf_nh_kind {
	CONF_NH_GATEWAY,   /* an address, with an optional interface */
	CONF_NH_IFNAME,    /* an interface only */
	CONF_NH_BLACKHOLE, /* "blackhole" */
	CONF_NH_NULL0,     /* "Null0" (a blackhole, printed as written) */
	CONF_NH_REJECT,    /* "reject" */
};

struct conf_static {
	unsigned line;
	struct prefix prefix; /* family tells `ip route` from `ipv6 route` */
	enum conf_nh_kind kind;
	struct ipaddr gateway; /* CONF_NH_GATEWAY */
	char *ifname;          /* CONF_NH_IFNAME, or the gateway's interface */
	uint8_t distance;      /* 1..255; 1 when absent */
};

/* `ip protocol PROTO route-map NAME` / `ipv6 protocol ...` (zebra's): a
 * route-map over the routes of a protocol on their way into the kernel;
 * `set src` gives them a preferred source, a deny keeps them out. */
enum conf_proto { CONF_PROTO_ANY, CONF_PROTO_BGP, CONF_PROTO_STATIC, CONF_PROTO_COUNT };

struct conf_proto_rmap {
	unsigned line;
	char *name; /* NULL when not set */
};

/* ---- BGP. ---- */
enum conf_afi { CONF_AF_IPV4, CONF_AF_IPV6, CONF_AF_COUNT };

enum conf_remote_as {
	CONF_AS_UNSET,
	CONF_AS_NUMBER,
	CONF_AS_INTERNAL,
	CONF_AS_EXTERNAL,
};

/* Fields of a neighbor's session, one bit each in conf_session.set: a peer-group
 * member inherits every field its own mask does not have. */
enum conf_session_field {
	CONF_S_REMOTE_AS = 1u << 0,
	CONF_S_DESCRIPTION = 1u << 1,
	CONF_S_SHUTDOWN = 1u << 2,
	CONF_S_PASSWORD = 1u << 3,
	CONF_S_PORT = 1u << 4,
	CONF_S_PASSIVE = 1u << 5,
	CONF_S_MULTIHOP = 1u << 6,
	CONF_S_TTL_SECURITY = 1u << 7,
	CONF_S_ENFORCE_FIRST_AS = 1u << 8,
	CONF_S_UPDATE_SOURCE = 1u << 9,
	CONF_S_TIMERS = 1u << 10,
	CONF_S_CONNECT = 1u << 11,
};

struct conf_session {
	uint32_t set; /* enum conf_session_field bits configured here */
	enum conf_remote_as as_type;
	uint32_t remote_as;
	char *description;
	bool shutdown;
	char *password;
	uint16_t port;      /* 179 unless set */
	bool passive;
	uint8_t multihop;   /* ebgp-multihop TTL; 1 = directly connected */
	uint8_t ttl_security; /* GTSM hops, 0 = off */
	bool enforce_first_as;
	bool update_source_is_addr;
	struct ipaddr update_source_addr;
	char *update_source_ifname;
	uint16_t keepalive, holdtime; /* neighbor timers */
	uint16_t connect_retry;       /* neighbor timers connect */
};

/* Per address family options, one bit each in conf_af_opts.set. */
enum conf_af_field {
	CONF_A_ACTIVATE = 1u << 0,
	CONF_A_RMAP_IN = 1u << 1,
	CONF_A_RMAP_OUT = 1u << 2,
	CONF_A_PLIST_IN = 1u << 3,
	CONF_A_PLIST_OUT = 1u << 4,
	CONF_A_FLIST_IN = 1u << 5,
	CONF_A_FLIST_OUT = 1u << 6,
	CONF_A_NEXT_HOP_SELF = 1u << 7,
	CONF_A_AS_OVERRIDE = 1u << 8,
	CONF_A_ALLOWAS_IN = 1u << 9,
	CONF_A_REMOVE_PRIVATE_AS = 1u << 10,
	CONF_A_MAX_PREFIX = 1u << 11,
	CONF_A_MAX_PREFIX_OUT = 1u << 12,
	CONF_A_DEFAULT_ORIGINATE = 1u << 13,
	CONF_A_SEND_COMMUNITY = 1u << 14,
	CONF_A_WEIGHT = 1u << 15,
	CONF_A_SOFT_RECONFIG = 1u << 16,
};

enum conf_nhs { CONF_NHS_OFF, CONF_NHS_ON, CONF_NHS_FORCE };

/* Bits of conf_af_opts.send_community: what is sent (FRR sends all three by
 * default; `no neighbor X send-community [TYPE]` clears them). */
enum conf_send_community {
	CONF_COMM_STANDARD = 1u << 0,
	CONF_COMM_EXTENDED = 1u << 1,
	CONF_COMM_LARGE = 1u << 2,
	CONF_COMM_ALL = 7u,
};

enum conf_rpas { /* remove-private-AS */
	CONF_RPAS_OFF,
	CONF_RPAS_ON,
	CONF_RPAS_ALL,
	CONF_RPAS_REPLACE,
	CONF_RPAS_ALL_REPLACE,
};

struct conf_af_opts {
	uint32_t set; /* enum conf_af_field bits configured here */
	bool active;
	char *rmap_in, *rmap_out;
	char *plist_in, *plist_out;
	char *flist_in, *flist_out; /* as-path access-lists */
	enum conf_nhs next_hop_self;
	bool as_override;
	uint8_t allowas_in;       /* 1..10 when set and not origin */
	bool allowas_in_origin;
	enum conf_rpas remove_private_as;
	uint32_t max_prefix;
	uint8_t max_prefix_threshold; /* percent, 75 unless given */
	uint16_t max_prefix_restart;  /* minutes, 0 = none */
	bool max_prefix_warning_only;
	bool max_prefix_force;
	uint32_t max_prefix_out;
	bool default_originate;
	char *default_originate_rmap;
	uint8_t send_community; /* enum conf_send_community bits */
	uint16_t weight;
	bool soft_reconfig;
};

struct conf_neighbor {
	unsigned line;    /* where it was first named */
	char *name;       /* canonical address, or the peer-group's name */
	bool is_group;    /* `neighbor NAME peer-group` */
	struct ipaddr addr; /* when !is_group */
	char *group;      /* peer-group this one belongs to, or NULL */
	struct conf_session s;
	struct conf_af_opts af[CONF_AF_COUNT];
};

enum conf_redist_type { CONF_REDIST_KERNEL, CONF_REDIST_CONNECTED, CONF_REDIST_STATIC, CONF_REDIST_COUNT };

struct conf_redist {
	bool on;
	unsigned line;
	bool metric_set;
	uint32_t metric;
	char *rmap;
};

struct conf_network {
	unsigned line;
	struct prefix prefix;
	char *rmap;
};

struct conf_bgp_af {
	struct conf_network *networks;
	size_t n_networks;
	struct conf_redist redist[CONF_REDIST_COUNT];
	uint16_t maxpaths_ebgp, maxpaths_ibgp; /* 0 = not configured */
};

/* The effective value of every version-dependent flag (defaults resolved). */
struct conf_bgp {
	unsigned line;
	uint32_t asn;
	bool router_id_set;
	struct ipaddr router_id;
	bool fast_external_failover; /* reset single-hop eBGP sessions when their interface goes down */
	bool ebgp_requires_policy;
	bool import_check;
	bool log_neighbor_changes;
	bool deterministic_med;
	bool suppress_duplicates;
	bool graceful_notification;
	bool hard_admin_reset;
	bool default_ipv4_unicast; /* `no bgp default ipv4-unicast` clears it */
	uint16_t keepalive, holdtime;
	struct conf_neighbor *neighbors; /* peer-groups and peers, input order */
	size_t n_neighbors;
	struct conf_bgp_af af[CONF_AF_COUNT];
};

/* ---- Policy objects (evaluated by another module). ---- */
enum conf_action { CONF_DENY, CONF_PERMIT };

struct conf_plist_entry {
	unsigned line;
	uint32_t seq;
	enum conf_action action;
	bool any;
	struct prefix prefix;
	uint8_t ge, le; /* 0 = absent */
};

struct conf_prefix_list {
	char *name;
	uint8_t family; /* AF_INET (`ip prefix-list`) or AF_INET6 */
	struct conf_plist_entry *entries; /* sorted by seq */
	size_t n;
};

struct conf_aspath_entry {
	unsigned line;
	uint32_t seq;
	enum conf_action action;
	char *regex; /* as written, words joined by one space */
};

struct conf_aspath_list {
	char *name;
	struct conf_aspath_entry *entries; /* sorted by seq */
	size_t n;
};

enum conf_clist_kind { CONF_CLIST_STANDARD, CONF_CLIST_EXPANDED };

struct conf_clist_entry {
	unsigned line;
	uint32_t seq;
	enum conf_action action;
	char *value; /* communities joined by one space, or the regex */
};

struct conf_community_list {
	char *name;
	bool large; /* bgp large-community-list */
	enum conf_clist_kind kind;
	struct conf_clist_entry *entries; /* sorted by seq */
	size_t n;
};

enum conf_rm_kind {
	CONF_MATCH_IP_PREFIX_LIST,
	CONF_MATCH_IPV6_PREFIX_LIST,
	CONF_MATCH_AS_PATH,
	CONF_MATCH_COMMUNITY,       /* NAME [exact-match] */
	CONF_MATCH_LARGE_COMMUNITY, /* NAME [exact-match] */
	CONF_MATCH_METRIC,
	CONF_MATCH_ORIGIN,
	CONF_SET_AS_PATH_PREPEND,   /* ASN... | last-as N */
	CONF_SET_AS_PATH_EXCLUDE,   /* ASN... | all */
	CONF_SET_AS_PATH_REPLACE,   /* any|ASN [ASN] */
	CONF_SET_IP_NEXT_HOP,       /* A.B.C.D | peer-address */
	CONF_SET_LOCAL_PREFERENCE,
	CONF_SET_METRIC,            /* N | +N | -N */
	CONF_SET_WEIGHT,
	CONF_SET_ORIGIN,
	CONF_SET_COMMUNITY,         /* COMM... [additive] | none */
	CONF_SET_LARGE_COMMUNITY,   /* LCOMM... [additive] | none */
	CONF_SET_SRC,
	CONF_RM_KIND_COUNT,
};

/* The keywords of a kind ("match ip address prefix-list"). */
const char *conf_rm_kind_words(enum conf_rm_kind k);
bool conf_rm_kind_is_match(enum conf_rm_kind k);

struct conf_rm_clause {
	unsigned line;
	enum conf_rm_kind kind;
	char **args; /* validated, canonical words after the keywords */
	size_t argc;
};

enum conf_rm_exit { CONF_RM_EXIT_NONE, CONF_RM_EXIT_NEXT, CONF_RM_EXIT_GOTO };

struct conf_rm_entry {
	unsigned line;
	enum conf_action action;
	uint32_t seq; /* 1..65535 */
	char *description;
	struct conf_rm_clause *matches;
	size_t n_matches;
	struct conf_rm_clause *sets;
	size_t n_sets;
	char *call;
	enum conf_rm_exit exit_policy; /* on-match next|goto N, continue [N] */
	uint32_t goto_seq;
};

struct conf_route_map {
	char *name;
	struct conf_rm_entry *entries; /* sorted by seq */
	size_t n;
};

/* ---- nvad's own statements. ----
 * Statements that FRR does not have are written as `nvad ...` at the top
 * level; the parser's table has a place for them and this struct is where
 * their values go. */

#define CONF_VXLAN_NAME_MAX 15     /* IFNAMSIZ - 1 */
#define CONF_VXLAN_VNI_MAX 16777215u
#define CONF_VXLAN_PORT_DEFAULT 4789 /* IANA; Linux's own default is 8472 */

/* `nvad vxlan NAME vni N remote ADDR [local ADDR] [dstport N] [dev IFNAME]
 * [mtu N] [address A/LEN...]`: a point-to-point VXLAN interface that nvad
 * creates, keeps and removes itself (src/kernel/link.h). */
struct conf_vxlan {
	unsigned line;
	char *name;            /* 1..15 characters, a valid interface name */
	uint32_t vni;          /* 1..16777215 */
	struct ipaddr remote;  /* unicast, IPv4 or IPv6 */
	struct ipaddr local;   /* family 0 when absent; else remote's family */
	uint16_t dstport;      /* CONF_VXLAN_PORT_DEFAULT when absent */
	char *dev;             /* underlay interface, NULL when absent */
	uint16_t mtu;          /* 0 when absent: the kernel's default */
	struct prefix *addrs;  /* host part kept: an address with its length */
	size_t n_addrs;
};

struct conf_nvad_ext {
	struct conf_vxlan *vxlans; /* input order; names unique */
	size_t n_vxlans;
};


/* ---- The whole configuration. ---- */
struct conf {
	char *filename;
	bool version_given; /* an `frr version` line was read */
	char *version_text; /* as written */
	struct conf_version version; /* CONF_VERSION_TARGET when absent */
	bool profile_given;
	enum conf_profile profile;
	struct conf_bgp_defaults defaults; /* for version and profile */
	char *hostname;
	struct conf_verbatim *verbatim; /* harmless statements, input order */
	size_t n_verbatim;
	struct conf_line_vty *line_vty; /* NULL when absent */
	bool bgp_no_rib;
	struct conf_static *statics; /* input order */
	size_t n_statics;
	struct conf_proto_rmap proto_rmap[2][CONF_PROTO_COUNT]; /* [0] ip, [1] ipv6 */
	struct conf_bgp *bgp; /* NULL without `router bgp` */
	struct conf_prefix_list *prefix_lists; /* first-seen order */
	size_t n_prefix_lists;
	struct conf_aspath_list *aspath_lists; /* sorted by name, as bgpd keeps them */
	size_t n_aspath_lists;
	struct conf_community_list *community_lists; /* first-seen order */
	size_t n_community_lists;
	struct conf_route_map *route_maps; /* first-seen order */
	size_t n_route_maps;
	struct conf_nvad_ext nvad;
};

/* Parses a whole configuration. Returns NULL when anything is wrong, with
 * every error in errs as "FILE:LINE: message"; errs may be NULL. Never reads
 * past text[len - 1]; NUL bytes are errors. */
struct conf *conf_parse(const char *text, size_t len, const char *filename,
			struct conf_errors *errs);

/* Reads and parses a file of at most CONF_MAX_FILE_SIZE bytes. */
struct conf *conf_load_file(const char *path, struct conf_errors *errs);

void conf_free(struct conf *c);

/* Things FRR accepts but that probably are mistakes (undefined route-map,
 * prefix-list, as-path or community list referenced; a policy that denies
 * every path of a peer's own AS). Appended to warns as "FILE:LINE: warning: ..". */
void conf_warnings(const struct conf *c, struct conf_errors *warns);

/* The canonical text, laid out as FRR 8.4's `show running-config`. */
void conf_print(const struct conf *c, struct strbuf *out);

/* ---- Lookups over the model. ---- */
const struct conf_neighbor *conf_neighbor_find(const struct conf *c, const char *name);
const struct conf_prefix_list *conf_prefix_list_find(const struct conf *c, uint8_t family,
						     const char *name);
const struct conf_aspath_list *conf_aspath_list_find(const struct conf *c, const char *name);
const struct conf_community_list *conf_community_list_find(const struct conf *c, bool large,
							   const char *name);
const struct conf_route_map *conf_route_map_find(const struct conf *c, const char *name);
const struct conf_vxlan *conf_vxlan_find(const struct conf *c, const char *name);
/* Same interface, same parameters and addresses (in any order). */
bool conf_vxlan_equal(const struct conf_vxlan *a, const struct conf_vxlan *b);

/* A neighbor's session with what it inherits from its peer-group filled in,
 * and the global defaults (timers, connect retry, port) where nothing set
 * them. The strings point into c. */
struct conf_session conf_session_effective(const struct conf *c, const struct conf_neighbor *n);
/* Same for one address family (activation follows `bgp default ipv4-unicast`). */
struct conf_af_opts conf_af_effective(const struct conf *c, const struct conf_neighbor *n,
				      enum conf_afi afi);
/* iBGP when the remote AS is internal or the local ASN. */
bool conf_neighbor_is_ibgp(const struct conf *c, const struct conf_neighbor *n);

/* ---- Reload: what changed between two configurations. ---- */
enum conf_nbr_change {
	CONF_NBR_ADDED,
	CONF_NBR_REMOVED,
	CONF_NBR_RESET, /* session parameters changed: the session is reset */
	CONF_NBR_SOFT,  /* only policy or address-family options: soft reconfiguration */
};

struct conf_nbr_diff {
	char *name; /* the neighbor's address */
	enum conf_nbr_change change;
	uint32_t session_fields; /* enum conf_session_field bits that differ (RESET) */
	bool local_changed;      /* router-id, local ASN or activation changed (RESET) */
	uint32_t af_fields[CONF_AF_COUNT]; /* enum conf_af_field bits that differ */
};

enum conf_policy_kind { CONF_POL_PREFIX_LIST, CONF_POL_ASPATH_LIST, CONF_POL_COMMUNITY_LIST, CONF_POL_ROUTE_MAP };

struct conf_policy_diff {
	enum conf_policy_kind kind;
	char *name; /* added, removed or changed */
};

enum conf_vxlan_change { CONF_VXLAN_ADDED, CONF_VXLAN_REMOVED, CONF_VXLAN_CHANGED };

struct conf_vxlan_diff {
	char *name; /* the interface's name */
	enum conf_vxlan_change change;
};

struct conf_diff {
	bool bgp_added, bgp_removed;  /* `router bgp` appeared or went away */
	bool asn_changed;             /* a new instance: every session is reset */
	bool router_id_changed;
	bool bgp_globals_changed;     /* flags, timers, default ipv4-unicast */
	bool header_changed;          /* hostname, log, verbatim lines, line vty */
	bool statics_changed;
	bool networks_changed[CONF_AF_COUNT];
	bool redistribute_changed[CONF_AF_COUNT];
	bool maxpaths_changed[CONF_AF_COUNT];
	bool no_rib_changed;
	struct conf_nbr_diff *neighbors; /* only the neighbors that changed */
	size_t n_neighbors;
	struct conf_policy_diff *policies;
	size_t n_policies;
	struct conf_vxlan_diff *vxlans; /* `nvad vxlan` interfaces added, removed, changed */
	size_t n_vxlans;
	bool oom; /* an allocation failed: treat as "everything changed" */
};

/* Pure: compares old and new (either may be NULL for "no configuration"). */
void conf_diff(const struct conf *old_c, const struct conf *new_c, struct conf_diff *d);
void conf_diff_free(struct conf_diff *d);
/* Whether the `ip protocol ... route-map` lines are the same (NULL: none). */
bool conf_proto_rmaps_equal(const struct conf *a, const struct conf *b);
bool conf_diff_empty(const struct conf_diff *d);

#endif
