/* graph.h: the topology as a Graphviz digraph (azlab graph): VNets with
 * their subnets, peerings with their flags, gateways, circuits, Route
 * Servers, NVAs and BGP sessions, grouped hub / spoke / on-premises. */
#ifndef NVAD_AZLAB_GRAPH_H
#define NVAD_AZLAB_GRAPH_H

#include "azlab/topology.h"
#include "lib/strbuf.h"

void azlab_graph_dot(const struct azlab_topo *t, struct strbuf *out);

#endif
