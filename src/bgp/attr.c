/* attr.c: names and required flags of the path attributes nvad knows. */
#include "attr.h"

struct attr_info {
	const char *name;
	uint8_t flags; /* Optional and Transitive bits it must carry */
};

#define WELL_KNOWN BGP_ATTR_F_TRANSITIVE
#define OPT_TRANS (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)
#define OPT_NONTRANS BGP_ATTR_F_OPTIONAL

static const struct attr_info attr_table[] = {
	[BGP_ATTR_ORIGIN] = { "ORIGIN", WELL_KNOWN },
	[BGP_ATTR_AS_PATH] = { "AS_PATH", WELL_KNOWN },
	[BGP_ATTR_NEXT_HOP] = { "NEXT_HOP", WELL_KNOWN },
	[BGP_ATTR_MED] = { "MULTI_EXIT_DISC", OPT_NONTRANS },
	[BGP_ATTR_LOCAL_PREF] = { "LOCAL_PREF", WELL_KNOWN },
	[BGP_ATTR_ATOMIC_AGGREGATE] = { "ATOMIC_AGGREGATE", WELL_KNOWN },
	[BGP_ATTR_AGGREGATOR] = { "AGGREGATOR", OPT_TRANS },
	[BGP_ATTR_COMMUNITIES] = { "COMMUNITIES", OPT_TRANS },
	[BGP_ATTR_ORIGINATOR_ID] = { "ORIGINATOR_ID", OPT_NONTRANS },
	[BGP_ATTR_CLUSTER_LIST] = { "CLUSTER_LIST", OPT_NONTRANS },
	[BGP_ATTR_MP_REACH_NLRI] = { "MP_REACH_NLRI", OPT_NONTRANS },
	[BGP_ATTR_MP_UNREACH_NLRI] = { "MP_UNREACH_NLRI", OPT_NONTRANS },
	[BGP_ATTR_EXT_COMMUNITIES] = { "EXTENDED_COMMUNITIES", OPT_TRANS },
	[BGP_ATTR_AS4_PATH] = { "AS4_PATH", OPT_TRANS },
	[BGP_ATTR_AS4_AGGREGATOR] = { "AS4_AGGREGATOR", OPT_TRANS },
	[BGP_ATTR_LARGE_COMMUNITIES] = { "LARGE_COMMUNITY", OPT_TRANS },
};

#define ATTR_TABLE_LEN (sizeof(attr_table) / sizeof(attr_table[0]))

const char *bgp_attr_name(uint8_t type)
{
	if (type < ATTR_TABLE_LEN && attr_table[type].name)
		return attr_table[type].name;
	return "UNKNOWN";
}

int bgp_attr_expected_flags(uint8_t type)
{
	if (type < ATTR_TABLE_LEN && attr_table[type].name)
		return attr_table[type].flags;
	return -1;
}

const char *bgp_origin_name(uint8_t origin)
{
	switch (origin) {
	case BGP_ORIGIN_IGP: return "IGP";
	case BGP_ORIGIN_EGP: return "EGP";
	case BGP_ORIGIN_INCOMPLETE: return "incomplete";
	}
	return "invalid";
}

char bgp_origin_code(uint8_t origin)
{
	switch (origin) {
	case BGP_ORIGIN_IGP: return 'i';
	case BGP_ORIGIN_EGP: return 'e';
	}
	return '?';
}
