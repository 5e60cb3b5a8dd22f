/* validate.h: refuses what Azure refuses in a well-formed topology (rules
 * R-A5, R-A10, R-A12, R-B1, R-B4, R-D1, R-D2 and consistency of addresses),
 * with the file's line and Azure's wording. Pure: reads the topology only. */
#ifndef NVAD_AZLAB_VALIDATE_H
#define NVAD_AZLAB_VALIDATE_H

#include "azlab/common.h"
#include "azlab/topology.h"

/* Appends "FILE:LINE:COL: error: ..." to errs and "...: warning: ..." to
 * warns (either may be NULL); returns the number of errors. */
size_t azlab_validate(const struct azlab_topo *t, struct azlab_diag *errs, struct azlab_diag *warns);

/* R-D1: an ASN that Route Server refuses for a peer. */
bool azlab_asn_reserved(uint32_t asn);

#endif
