/* fuzz_topology.c: libFuzzer target for azlab's topology reader.
 *
 * The input is read as a topology file. Rejected: every error must carry
 * its FILE:LINE:COL prefix. Accepted: validation, the offline model (with
 * relays), every expectation, the effective routes of every subnet, a path
 * walk and a reachability check between the first endpoints, and the DOT
 * text all run without a crash or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azlab/expect.h"
#include "azlab/graph.h"
#include "azlab/model.h"
#include "azlab/topology.h"
#include "azlab/validate.h"
#include "lib/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_topology: broken promise: %s\n", what);
	abort();
}

static void exercise(const struct azlab_topo *t)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
	size_t n = azlab_validate(t, &errs, &warns);
	if (n != errs.n && !errs.oom)
		fail("validate's count differs from its messages");
	azlab_diag_free(&errs);
	azlab_diag_free(&warns);

	struct strbuf dot = STRBUF_INIT;
	azlab_graph_dot(t, &dot);
	strbuf_free(&dot);

	struct azlab_feed feed = AZLAB_FEED_INIT;
	struct azlab_model *m = azlab_model_build_offline(t, &feed);
	if (m) {
		char detail[1024];
		for (size_t i = 0; i < t->n_expects; i++)
			azlab_expect_eval(m, &t->expects[i], detail, sizeof detail);
		for (size_t v = 0; v < t->n_vnets; v++)
			for (size_t s = 0; s < t->vnets[v].n_subnets; s++)
				if (!azlab_model_routes(m, (int)v, (int)s))
					fail("a subnet without a route table");
		size_t nv = t->n_vms < 4 ? t->n_vms : 4;
		struct azlab_reach *r = malloc(sizeof *r);
		for (size_t a = 0; r && a < nv; a++)
			for (size_t b = 0; b < nv; b++) {
				struct azlab_endpoint ep = { AZLAB_EP_VM, (int)a, -1, t->vms[a].ip };
				azlab_model_reach(m, &ep, t->vms[b].ip, r);
				if (!r->ok && !r->reason[0])
					fail("a failed flow without a reason");
			}
		free(r);
	}
	azlab_model_free(m);
	azlab_feed_free(&feed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	struct azlab_topo *t = azlab_topo_parse((const char *)data, size, "fuzz.yaml", &errs);
	if (t)
		exercise(t);
	else if (errs.n == 0 && !errs.oom)
		fail("a rejected file without an error");
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], "fuzz.yaml", 9) != 0)
			fail("an error without its FILE:LINE:COL prefix");
	azlab_topo_free(t);
	azlab_diag_free(&errs);
	return 0;
}
