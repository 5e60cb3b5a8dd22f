/* attr_intern.c: the attribute table of bgp/attr_intern.h. A candidate is
 * built in the table's scratch buffer in exactly the interned layout, hashed
 * and looked up; only a new set is copied into an allocation of its own. */
#include "attr_intern.h"

#include <stdlib.h>
#include <string.h>

#define CONTENT_OFF offsetof(struct bgp_iattrs, nexthop)
#define HASH_SEED UINT64_C(0x6e7661642d617474) /* "nvad-att" */

/* The layout has no padding before data, so memcmp on content is exact. */
_Static_assert(offsetof(struct bgp_iattrs, data) == 60, "bgp_iattrs has padding");
_Static_assert(offsetof(struct bgp_iattrs, nexthop) == 12, "bgp_iattrs layout");

static size_t entry_size(const struct bgp_iattrs *ia)
{
	size_t n = offsetof(struct bgp_iattrs, data) + ia->mp_nh_len;
	for (unsigned i = 0; i < BGP_IPART_COUNT; i++)
		n += ia->len[i];
	return n;
}

static uint64_t entry_hash(const void *elem)
{
	return ((const struct bgp_iattrs *)elem)->hash;
}

static bool entry_eq(const void *elem, const void *key)
{
	const struct bgp_iattrs *a = elem, *b = key;
	if (a->hash != b->hash)
		return false;
	size_t n = entry_size(a);
	return n == entry_size(b) &&
	       memcmp((const uint8_t *)a + CONTENT_OFF, (const uint8_t *)b + CONTENT_OFF,
		      n - CONTENT_OFF) == 0;
}

void bgp_attr_table_init(struct bgp_attr_table *t)
{
	memset(t, 0, sizeof(*t));
	hset_init(&t->set, entry_hash);
}

size_t bgp_attr_table_destroy(struct bgp_attr_table *t)
{
	size_t live = hset_count(&t->set), pos = 0;
	void *e;
	while ((e = hset_next(&t->set, &pos)) != NULL)
		free(e);
	hset_destroy(&t->set);
	free(t->scratch);
	bgp_attr_table_init(t);
	return live;
}

size_t bgp_attr_table_count(const struct bgp_attr_table *t)
{
	return hset_count(&t->set);
}

size_t bgp_attr_table_bytes(const struct bgp_attr_table *t)
{
	return t->bytes + hset_bytes(&t->set) + t->scratch_cap;
}

/* The variable parts of a, each empty when its attribute is absent. */
static void parts_of(const struct bgp_attrs *a, struct bgp_bytes parts[BGP_IPART_COUNT])
{
	static const uint8_t types[BGP_IPART_COUNT] = {
		[BGP_IPART_ASPATH] = BGP_ATTR_AS_PATH,
		[BGP_IPART_COMMUNITIES] = BGP_ATTR_COMMUNITIES,
		[BGP_IPART_EXT_COMMUNITIES] = BGP_ATTR_EXT_COMMUNITIES,
		[BGP_IPART_LARGE_COMMUNITIES] = BGP_ATTR_LARGE_COMMUNITIES,
		[BGP_IPART_CLUSTER_LIST] = BGP_ATTR_CLUSTER_LIST,
		[BGP_IPART_UNKNOWN] = 0, /* no bit: present when not empty */
	};
	parts[BGP_IPART_ASPATH] = a->aspath;
	parts[BGP_IPART_COMMUNITIES] = a->communities;
	parts[BGP_IPART_EXT_COMMUNITIES] = a->ext_communities;
	parts[BGP_IPART_LARGE_COMMUNITIES] = a->large_communities;
	parts[BGP_IPART_CLUSTER_LIST] = a->cluster_list;
	parts[BGP_IPART_UNKNOWN] = a->unknown;
	for (unsigned i = 0; i < BGP_IPART_COUNT; i++)
		if ((types[i] && !bgp_attrs_has(a, types[i])) || !parts[i].p)
			parts[i] = (struct bgp_bytes){ NULL, 0 };
}

static bool scratch_room(struct bgp_attr_table *t, size_t n)
{
	if (n <= t->scratch_cap)
		return true;
	size_t cap = t->scratch_cap ? t->scratch_cap : 256;
	while (cap < n)
		cap *= 2;
	/* Aligned for struct bgp_iattrs: malloc's alignment suffices. */
	uint8_t *p = realloc(t->scratch, cap);
	if (!p)
		return false;
	t->scratch = p;
	t->scratch_cap = cap;
	return true;
}

/* Builds the interned form of a in the scratch buffer; NULL when a part is
 * too long or out of memory. */
static struct bgp_iattrs *build(struct bgp_attr_table *t, const struct bgp_attrs *a)
{
	struct bgp_bytes parts[BGP_IPART_COUNT];
	parts_of(a, parts);
	size_t size = offsetof(struct bgp_iattrs, data);
	for (unsigned i = 0; i < BGP_IPART_COUNT; i++) {
		if (parts[i].len > UINT16_MAX)
			return NULL;
		size += parts[i].len;
	}
	bool mp = bgp_attrs_has(a, BGP_ATTR_MP_REACH_NLRI);
	uint8_t nh_len = mp ? a->mp_nh_len : 0;
	if (nh_len > sizeof(a->mp_nh))
		return NULL;
	size += nh_len;
	if (!scratch_room(t, size))
		return NULL;

	struct bgp_iattrs *c = (struct bgp_iattrs *)(void *)t->scratch;
	memset(c, 0, offsetof(struct bgp_iattrs, data));
	uint64_t have = a->have & ~BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI);
	c->have = have;
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		c->origin = a->origin;
	if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		c->nexthop = a->nexthop;
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		c->med = a->med;
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		c->local_pref = a->local_pref;
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
		c->aggregator_as = a->aggregator_as;
		c->aggregator_id = a->aggregator_id;
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID))
		c->originator_id = a->originator_id;
	if (parts[BGP_IPART_ASPATH].len)
		c->aspath_count = (uint16_t)bgp_aspath_length(parts[BGP_IPART_ASPATH]);
	uint8_t *d = c->data;
	for (unsigned i = 0; i < BGP_IPART_COUNT; i++) {
		c->len[i] = (uint16_t)parts[i].len;
		if (parts[i].len)
			memcpy(d, parts[i].p, parts[i].len);
		d += parts[i].len;
	}
	c->mp_nh_len = nh_len;
	if (nh_len)
		memcpy(d, a->mp_nh, nh_len);
	c->hash = hash_bytes((const uint8_t *)c + CONTENT_OFF, size - CONTENT_OFF, HASH_SEED);
	return c;
}

const struct bgp_iattrs *bgp_attr_intern(struct bgp_attr_table *t, const struct bgp_attrs *a)
{
	struct bgp_iattrs *c = build(t, a);
	if (!c)
		return NULL;
	struct bgp_iattrs *e = hset_find(&t->set, c->hash, entry_eq, c);
	if (e)
		return bgp_attr_ref(e);
	size_t size = entry_size(c);
	e = malloc(size);
	if (!e)
		return NULL;
	memcpy(e, c, size);
	e->refcnt = 1;
	if (!hset_insert(&t->set, e, e->hash)) {
		free(e);
		return NULL;
	}
	t->bytes += size;
	return e;
}

const struct bgp_iattrs *bgp_attr_ref(const struct bgp_iattrs *ia)
{
	struct bgp_iattrs *e = (struct bgp_iattrs *)ia;
	if (e->refcnt == 0 || e->refcnt == UINT32_MAX)
		abort(); /* a freed entry, or a count that cannot be right */
	e->refcnt++;
	return ia;
}

void bgp_attr_unref(struct bgp_attr_table *t, const struct bgp_iattrs *ia)
{
	struct bgp_iattrs *e = (struct bgp_iattrs *)ia;
	if (e->refcnt == 0)
		abort(); /* one unref too many */
	if (--e->refcnt)
		return;
	if (!hset_remove(&t->set, e, e->hash))
		abort(); /* not an entry of this table */
	t->bytes -= entry_size(e);
	free(e);
}

struct bgp_bytes bgp_iattrs_part(const struct bgp_iattrs *ia, enum bgp_iattr_part part)
{
	size_t off = 0;
	for (unsigned i = 0; i < (unsigned)part; i++)
		off += ia->len[i];
	if (!ia->len[part])
		return (struct bgp_bytes){ NULL, 0 };
	return (struct bgp_bytes){ ia->data + off, ia->len[part] };
}

void bgp_iattrs_view(const struct bgp_iattrs *ia, struct bgp_attrs *out)
{
	memset(out, 0, sizeof(*out));
	out->have = ia->have;
	out->origin = ia->origin;
	out->nexthop = ia->nexthop;
	out->med = ia->med;
	out->local_pref = ia->local_pref;
	out->aggregator_as = ia->aggregator_as;
	out->aggregator_id = ia->aggregator_id;
	out->originator_id = ia->originator_id;
	struct bgp_bytes *dst[BGP_IPART_COUNT] = {
		[BGP_IPART_ASPATH] = &out->aspath,
		[BGP_IPART_COMMUNITIES] = &out->communities,
		[BGP_IPART_EXT_COMMUNITIES] = &out->ext_communities,
		[BGP_IPART_LARGE_COMMUNITIES] = &out->large_communities,
		[BGP_IPART_CLUSTER_LIST] = &out->cluster_list,
		[BGP_IPART_UNKNOWN] = &out->unknown,
	};
	const uint8_t *d = ia->data;
	for (unsigned i = 0; i < BGP_IPART_COUNT; i++) {
		if (ia->len[i])
			*dst[i] = (struct bgp_bytes){ d, ia->len[i] };
		d += ia->len[i];
	}
	out->mp_nh_len = ia->mp_nh_len;
	if (ia->mp_nh_len)
		memcpy(out->mp_nh, d, ia->mp_nh_len);
}
