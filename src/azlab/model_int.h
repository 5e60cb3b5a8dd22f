/* model_int.h: the model's internals shared by model.c (control plane and
 * effective routes) and path.c (packet walks). Not for other modules. */
#ifndef NVAD_AZLAB_MODEL_INT_H
#define NVAD_AZLAB_MODEL_INT_H

#include "azlab/model.h"

struct azlab_model {
	const struct azlab_topo *t;
	struct azlab_rlist *rs_in;   /* [route server] accepted from NVAs */
	struct azlab_rlist **rs_out; /* [route server][connection] sent to the NVA */
	struct azlab_rlist *gw_adv;  /* [gateway] sent to the MSEEs */
	struct azlab_rlist *gw_in;   /* [gateway] learned from the MSEEs */
	struct azlab_rlist *msee;    /* [circuit] */
	struct azlab_rlist *site_in; /* [site] learned from the MSEE */
	struct azlab_eff_table *tables; /* [subnet_base[vnet] + subnet] */
	size_t *subnet_base;
	size_t n_tables;
	struct azlab_diag notes;
	bool oom;
};

bool azlab_rlist_add(struct azlab_model *m, struct azlab_rlist *l, const struct azlab_bgp_route *r);
int azlab_connected_peering(const struct azlab_topo *t, int vnet, int remote);
int azlab_remote_gateway_vnet(const struct azlab_topo *t, int vnet);
bool azlab_vnet_has(const struct azlab_topo *t, int vnet, uint32_t ip);

#endif
