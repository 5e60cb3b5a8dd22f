/* azlab_testutil.h: helpers shared by the azlab unit tests: a topology from
 * YAML text, a feed of NVA routes, the model, and lookups. Include after
 * <cmocka.h>. */
#ifndef NVAD_TESTS_AZLAB_TESTUTIL_H
#define NVAD_TESTS_AZLAB_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azlab/expect.h"
#include "azlab/model.h"
#include "azlab/topology.h"
#include "azlab/validate.h"

struct world {
	struct azlab_topo *t;
	struct azlab_feed feed;
	struct azlab_model *m;
};

static inline struct azlab_topo *azt_parse(const char *yaml, struct azlab_diag *errs)
{
	return azlab_topo_parse(yaml, strlen(yaml), "t.yaml", errs);
}

/* Parses and validates; any error fails the test with the messages. */
static inline void world_open(struct world *w, const char *yaml)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	memset(w, 0, sizeof *w);
	w->t = azt_parse(yaml, &errs);
	if (w->t)
		azlab_validate(w->t, &errs, NULL);
	for (size_t i = 0; i < errs.n; i++)
		print_error("%s\n", errs.msgs[i]);
	assert_non_null(w->t);
	assert_int_equal(errs.n, 0);
	azlab_diag_free(&errs);
}

/* "65001 65001" into as (at most AZLAB_MAX_ASPATH); the count. */
static inline uint8_t azt_path(const char *path, uint32_t *as)
{
	uint8_t n = 0;
	for (const char *p = path; *p && n < AZLAB_MAX_ASPATH;) {
		char *end;
		as[n++] = (uint32_t)strtoul(p, &end, 10);
		for (p = end; *p == ' '; p++)
			;
	}
	return n;
}

/* An NVA route to a Route Server, as the live back end would feed it. */
static inline void world_adv(struct world *w, const char *vm, const char *rs, const char *pfx,
			     const char *path, bool no_advertise)
{
	struct azlab_feed_route r = { .vm = azlab_topo_vm(w->t, vm),
				      .route_server = azlab_topo_route_server(w->t, rs),
				      .no_advertise = no_advertise };
	assert_true(r.vm >= 0 && r.route_server >= 0);
	assert_true(azlab_pfx_parse(pfx, &r.prefix));
	r.next_hop = w->t->vms[r.vm].ip;
	r.n_as = azt_path(path, r.as_path);
	assert_true(azlab_feed_add(&w->feed, &r));
}

/* A CE router's route to its MSEE (from_site), as the live back end feeds it. */
static inline void world_site_adv(struct world *w, const char *site, const char *pfx,
				  const char *path)
{
	struct azlab_feed_route r = { .vm = -1, .route_server = -1, .from_site = true, .site = -1 };
	for (size_t i = 0; i < w->t->n_sites; i++)
		if (!strcmp(w->t->sites[i].name, site))
			r.site = (int)i;
	assert_true(r.site >= 0);
	assert_true(azlab_pfx_parse(pfx, &r.prefix));
	r.next_hop = w->t->sites[r.site].router_ip;
	r.n_as = azt_path(path, r.as_path);
	assert_true(azlab_feed_add(&w->feed, &r));
}

static inline void world_build(struct world *w)
{
	azlab_model_free(w->m);
	w->m = azlab_model_build(w->t, &w->feed);
	assert_non_null(w->m);
}

static inline void world_close(struct world *w)
{
	azlab_model_free(w->m);
	azlab_feed_free(&w->feed);
	azlab_topo_free(w->t);
}

/* The effective route for prefix at a VM/NIC/subnet with this source (-1:
 * any), NULL when none. */
static inline const struct azlab_eff_route *world_route(const struct world *w, const char *at,
							 const char *pfx, int source)
{
	int v, s;
	struct azlab_pfx p;
	assert_true(azlab_pfx_parse(pfx, &p));
	const struct azlab_eff_table *tb = azlab_expect_table(w->m, at, &v, &s);
	assert_non_null(tb);
	for (size_t i = 0; i < tb->n; i++)
		if (azlab_pfx_eq(tb->v[i].prefix, p) && (source < 0 || (int)tb->v[i].source == source))
			return &tb->v[i];
	return NULL;
}

static inline bool world_reach(const struct world *w, const char *from, const char *to,
			       struct azlab_reach *r)
{
	struct azlab_endpoint ep;
	uint32_t dst;
	assert_true(azlab_model_endpoint(w->m, from, &ep));
	assert_true(azlab_model_address(w->m, to, &dst));
	azlab_model_reach(w->m, &ep, dst, r);
	return r->ok;
}

#endif
