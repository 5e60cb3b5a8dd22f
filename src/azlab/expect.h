/* expect.h: evaluates the `expect:` entries of a topology against the model
 * (azlab test), and names flows for the reachability matrix (azlab check). */
#ifndef NVAD_AZLAB_EXPECT_H
#define NVAD_AZLAB_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "azlab/model.h"

/* One-line description of the entry ("reach vm-a -> 10.0.0.4"). */
void azlab_expect_describe(const struct azlab_expect *e, char *buf, size_t cap);
/* True when the model agrees; detail says what was found either way. */
bool azlab_expect_eval(const struct azlab_model *m, const struct azlab_expect *e, char *detail,
		       size_t cap);
/* The effective-route table of a VM, NIC or VNET/SUBNET name. */
const struct azlab_eff_table *azlab_expect_table(const struct azlab_model *m, const char *at,
						 int *vnet, int *subnet);

#endif
